/**
 * Whether the page opted in to the console handles (`window.calsync`, `CalsyncError`,
 * `createCalendarSync`): only with `?debug` in the URL (`?debug=0` / `?debug=false` do
 * not count), or on the Vite dev server. A production page otherwise puts no SDK handle on
 * `window`, where any script of the page (an extension's, an injected one) would find a
 * ready-made handle to the user's calendars and the way to add accounts.
 *
 * The end-to-end tests open the demo as `/?debug`; the service worker's navigation fallback
 * serves the shell for it offline too.
 */
export function wantsDebugHandles(search: string, dev: boolean): boolean {
  if (dev) return true;
  const value = new URLSearchParams(search).get('debug');
  return value !== null && value !== '0' && value !== 'false';
}
