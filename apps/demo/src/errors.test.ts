import { describe, expect, it } from 'vitest';
import { describeAddAccountError, describeError } from './errors.ts';

/** Errors cross the Worker boundary as CalsyncErrors; only `code` and `message` matter here. */
const failure = (code: string, message = `sdk says ${code}`) => Object.assign(new Error(message), { code });

describe('describeAddAccountError', () => {
  it('says a not-found URL has no calendar home, not that there are no calendars', () => {
    const text = describeAddAccountError(failure('not-found', 'Not found on 127.0.0.1:5232 (HTTP 404).'));
    expect(text).toMatch(/no CalDAV calendar home at this URL/i);
    expect(text).toMatch(/server URL/);
    expect(text).not.toMatch(/No calendars were found/);
  });

  it('points auth at the username or password', () => {
    expect(describeAddAccountError(failure('auth'))).toMatch(/username or password/);
  });

  it('says the server is unreachable, without promising offline calendars that do not exist yet', () => {
    const text = describeAddAccountError(failure('network'));
    expect(text).toMatch(/cannot be reached/);
    expect(text).not.toMatch(/offline/);
  });

  it('names the other host and says the password is not sent there', () => {
    const text = describeAddAccountError(
      failure(
        'untrusted-origin',
        'The server pointed to a calendar home on https://elsewhere.example, which is not this account’s server.',
      ),
    );
    expect(text).toMatch(/another host/);
    expect(text).toMatch(/does not send your password there/);
    expect(text).toContain('https://elsewhere.example');
  });

  it('reads bad-data as not a CalDAV server', () => {
    expect(describeAddAccountError(failure('bad-data'))).toMatch(/did not answer like a CalDAV server/);
  });

  it('falls back to the general words, and to the message for other codes', () => {
    expect(describeAddAccountError(failure('server'))).toBe(describeError(failure('server')));
    expect(describeAddAccountError(failure('invalid-input', 'serverUrl must be http(s)'))).toBe(
      'serverUrl must be http(s)',
    );
    expect(describeAddAccountError(new Error('boom'))).toBe('boom');
  });
});

describe('describeError', () => {
  it("shows what was not found (the SDK's message) instead of claiming no calendars exist", () => {
    const text = describeError(failure('not-found', 'This event does not exist (any more).'));
    expect(text).toBe('This event does not exist (any more).');
  });

  it('maps codes that mean the same everywhere', () => {
    expect(describeError(failure('auth'))).toMatch(/username or password/);
    expect(describeError(failure('network'))).toMatch(/still available offline/);
    expect(describeError(failure('worker'))).toMatch(/Reload the page/);
  });

  it('has words for values without a message', () => {
    expect(describeError({ code: 'not-found' })).toBe('It does not exist (any more).');
    expect(describeError(undefined)).toBe('Something went wrong.');
  });
});
