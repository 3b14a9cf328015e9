import { CalsyncError, type EventQuery } from '@calsync/core';
import { html, LitElement } from 'lit';
import { afterEach, describe, expect, it } from 'vitest';
import { EventsController } from './events-controller.ts';
import { SyncStatusController } from './sync-status-controller.ts';
import { FakeSync, occurrence } from './test-fake-sync.ts';

// Real Lit elements in Chromium, driven by a scripted CalendarSync.

class WeekList extends LitElement {
  static override properties = { sdk: { attribute: false }, start: {} };
  declare sdk: FakeSync | undefined;
  declare start: string;
  readonly events = new EventsController(this);
  readonly sync = new SyncStatusController(this);
  renders = 0;

  constructor() {
    super();
    this.start = '2026-11-30T00:00:00Z';
  }

  protected override willUpdate(): void {
    // A new query object on every update: only a different window may resubscribe.
    const query: EventQuery = { start: this.start, end: new Date(Date.parse(this.start) + 7 * 864e5) };
    this.events.watch(this.sdk?.asSdk(), query);
    this.sync.watch(this.sdk?.asSdk());
  }

  protected override render() {
    this.renders++;
    return html`<p id="status">${this.sync.status ? `${this.sync.status.pendingCount} pending` : '…'}</p>
      <p id="error">${this.events.error?.code ?? ''}</p>
      <ul>${this.events.occurrences.map((o) => html`<li>${o.summary}</li>`)}</ul>`;
  }
}
customElements.define('week-list', WeekList);

const mounted: HTMLElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mount(sdk: FakeSync | undefined): Promise<WeekList> {
  const el = document.createElement('week-list') as WeekList;
  el.sdk = sdk;
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}

const items = (el: WeekList) => [...(el.shadowRoot?.querySelectorAll('li') ?? [])].map((li) => li.textContent);
const text = (el: WeekList, id: string) => el.shadowRoot?.querySelector(`#${id}`)?.textContent ?? '';

/** Waits for the element's next render (pushed results request one). */
async function rendered(el: WeekList): Promise<void> {
  await Promise.resolve();
  await el.updateComplete;
}

describe('EventsController and SyncStatusController in a Lit element', () => {
  it('renders the window, follows pushed changes, and does not resubscribe for an equal query', async () => {
    const sdk = new FakeSync();
    const el = await mount(sdk);
    expect(sdk.open).toHaveLength(1);
    sdk.open[0]?.push([occurrence('a', 'Standup')], { added: ['a'], removed: [], updated: [] });
    await rendered(el);
    expect(items(el)).toEqual(['Standup']);
    expect(el.events.loading).toBe(false);
    el.requestUpdate();
    await el.updateComplete;
    expect(sdk.watches).toHaveLength(1);
    expect(text(el, 'status')).toBe('0 pending');
    sdk.statusListeners[0]?.({ online: true, syncing: false, pendingCount: 2 });
    await rendered(el);
    expect(text(el, 'status')).toBe('2 pending');
  });

  it('a new window closes the old watcher and opens one; removal from the page closes it', async () => {
    const sdk = new FakeSync();
    const el = await mount(sdk);
    el.start = '2026-12-07T00:00:00Z';
    await el.updateComplete;
    expect(sdk.watches).toHaveLength(2);
    expect(sdk.watches[0]?.closed).toBe(true);
    expect(sdk.open).toHaveLength(1);
    expect(sdk.open[0]?.query.start).toBe('2026-12-07T00:00:00Z');
    el.remove();
    expect(sdk.open).toHaveLength(0);
    expect(sdk.statusListeners).toHaveLength(0);
  });

  it('a watcher that opens after the window changed is closed at once and delivers nothing', async () => {
    const sdk = new FakeSync();
    sdk.hold = true;
    const el = await mount(sdk);
    el.start = '2026-12-07T00:00:00Z';
    await el.updateComplete;
    sdk.release();
    await rendered(el);
    expect(sdk.watches[0]?.closed).toBe(true);
    sdk.watches[0]?.push([occurrence('old', 'Stale')], { added: ['old'], removed: [], updated: [] });
    await rendered(el);
    expect(items(el)).toEqual([]);
  });

  it('a rejected watch shows its error code; no SDK yet means loading', async () => {
    const waiting = await mount(undefined);
    expect(waiting.events.loading).toBe(true);
    const sdk = new FakeSync();
    sdk.failWith = new CalsyncError('invalid-input', 'The window end must be after its start.');
    const el = await mount(sdk);
    await rendered(el);
    expect(text(el, 'error')).toBe('invalid-input');
    expect(el.events.loading).toBe(false);
  });
});
