import { describe, expect, it } from 'vitest';
import { CalsyncError, isCalsyncError, toCalsyncError } from './errors.ts';

describe('CalsyncError', () => {
  it('carries name, code, retryable by default per code, and status', () => {
    const error = new CalsyncError('network', 'down');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CalsyncError');
    expect(error.retryable).toBe(true);
    expect(new CalsyncError('auth', 'no', { status: 401 })).toMatchObject({ retryable: false, status: 401 });
    expect(isCalsyncError(error, 'network')).toBe(true);
    expect(isCalsyncError(error, 'auth')).toBe(false);
  });

  it('maps a browser quota failure to a quota error and wraps anything else', () => {
    const quota = toCalsyncError(new DOMException('full', 'QuotaExceededError'));
    expect(quota.code).toBe('quota');
    expect(toCalsyncError(new TypeError('x')).code).toBe('internal');
    expect(toCalsyncError('text', 'server').code).toBe('server');
    const same = new CalsyncError('bad-data', 'x');
    expect(toCalsyncError(same)).toBe(same);
  });
});
