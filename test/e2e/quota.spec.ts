import { expect, test } from '@playwright/test';

// Fault matrix, quota part (issue 11), in real Chromium: with the origin's storage quota
// nearly used up (DevTools protocol Storage.overrideQuotaForOrigin), storing an account is
// refused with a typed `quota` error (it was an untyped "Could not create the credential
// key") and nothing half-stored remains; with room again the same call works.

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`global setup did not set ${name}`);
  return value;
};

test('a write refused for quota is a quota error and leaves nothing half-stored', async ({ page, context }) => {
  const demo = new URL('/?debug', env('CALSYNC_DEMO_URL')).href;
  await page.goto(demo);
  await page.waitForFunction(() => 'createCalendarSync' in window);
  const cdp = await context.newCDPSession(page);
  const origin = new URL(demo).origin;
  const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 60_000 });
  const input = { serverUrl: env('CALSYNC_RADICALE_URL'), proxyUrl: env('CALSYNC_PROXY_URL') };
  const refused = await page.evaluate(async ({ serverUrl, proxyUrl }) => {
    const w = window as unknown as {
      createCalendarSync(options: object): Promise<import('@calsync/core').CalendarSync>;
      CalsyncError: new (...args: never[]) => Error;
    };
    const sdk = await w.createCalendarSync({ dbName: 'quota-test', proxyUrl, autoSync: false });
    (window as unknown as { quotaSdk: unknown }).quotaSdk = sdk;
    try {
      await sdk.addAccount({ serverUrl, username: 'demo', password: 'demo' });
      return { refused: false };
    } catch (error) {
      return {
        refused: true,
        isCalsyncError: error instanceof w.CalsyncError,
        code: (error as { code?: unknown }).code,
        accounts: (await sdk.listAccounts()).length,
      };
    }
  }, input);
  expect(refused).toEqual({ refused: true, isCalsyncError: true, code: 'quota', accounts: 0 });

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  const stored = await page.evaluate(async ({ serverUrl }) => {
    const sdk = (window as unknown as { quotaSdk: import('@calsync/core').CalendarSync }).quotaSdk;
    await sdk.addAccount({ serverUrl, username: 'demo', password: 'demo' });
    const report = await sdk.sync();
    return { accounts: (await sdk.listAccounts()).length, ok: report.accounts.every((a) => a.ok) };
  }, input);
  expect(stored).toEqual({ accounts: 1, ok: true });
});
