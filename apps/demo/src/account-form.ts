import { css, html, LitElement } from 'lit';

/** Form to add a CalDAV account; fires `add-account` with { serverUrl, username, password }. */
export class AccountForm extends LitElement {
  static override properties = {
    serverUrl: { type: String },
    username: { type: String },
    password: { type: String },
    busy: { type: Boolean },
    error: { type: String },
  };

  declare serverUrl: string;
  declare username: string;
  declare password: string;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.serverUrl = '';
    this.username = '';
    this.password = '';
    this.busy = false;
    this.error = '';
  }

  static override styles = css`
    form { display: grid; gap: 0.6rem; max-width: 28rem; background: #fff; padding: 1.2rem; border-radius: 8px; box-shadow: 0 1px 3px #0002; }
    label { display: grid; gap: 0.2rem; font-size: 0.9rem; }
    input { padding: 0.45rem; font: inherit; border: 1px solid #b8c0cc; border-radius: 4px; }
    button { padding: 0.5rem; font: inherit; background: #1e4f8a; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
    .error { color: #a3161a; }
  `;

  override render() {
    return html`<form @submit=${this.#submit} aria-label="Add account">
      <h2>Add a CalDAV account</h2>
      <label>DAV root URL <input name="serverUrl" type="url" required .value=${this.serverUrl} /></label>
      <label>Username <input name="username" required autocomplete="username" .value=${this.username} /></label>
      <label>Password <input name="password" type="password" required autocomplete="current-password" .value=${this.password} /></label>
      <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Connecting…' : 'Add account'}</button>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
    </form>`;
  }

  #submit(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.dispatchEvent(
      new CustomEvent('add-account', {
        detail: {
          serverUrl: String(data.get('serverUrl') ?? ''),
          username: String(data.get('username') ?? ''),
          password: String(data.get('password') ?? ''),
        },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
customElements.define('account-form', AccountForm);
