import { css } from 'lit';

/** Look shared by the side panels (unsynced changes, conflicts). */
export const panelStyles = css`
  :host { display: block; }
  section { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px #0002; padding: 0.8rem 1rem; margin: 0.6rem 0; }
  .panel-head { display: flex; align-items: center; gap: 0.6rem; }
  h2 { font-size: 1.05rem; margin: 0; flex: 1; }
  h3 { font-size: 0.95rem; margin: 0 0 0.2rem; }
  button { font: inherit; padding: 0.3rem 0.7rem; border-radius: 4px; border: 1px solid #b8c0cc; background: #fff; cursor: pointer; }
  button.primary { background: #1e4f8a; color: #fff; border-color: #1e4f8a; }
  button:disabled { opacity: 0.6; cursor: default; }
  ul { list-style: none; padding: 0; margin: 0.6rem 0 0; display: grid; gap: 0.5rem; }
  .muted { color: #56606d; font-size: 0.85rem; }
  .error { background: #fde7e7; border: 1px solid #e39a9a; border-radius: 6px; padding: 0.4rem 0.6rem; margin: 0.5rem 0; }
`;

/** Fires the panel's `close-panel` event (the app hides it). */
export function closePanel(from: HTMLElement): void {
  from.dispatchEvent(new CustomEvent('close-panel', { bubbles: true, composed: true }));
}
