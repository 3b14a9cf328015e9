import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { assertAllowedLiteral, createGuardedLookup, isPublicAddress } from './address-policy.ts';
import { ForbiddenAddressError } from './errors.ts';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('assertAllowedLiteral', () => {
  it('refuses private IP literals unless allowed, and ignores names', () => {
    expect(() => assertAllowedLiteral('127.0.0.1', false)).toThrow(ForbiddenAddressError);
    expect(() => assertAllowedLiteral('[::1]', false)).toThrow(ForbiddenAddressError);
    expect(() => assertAllowedLiteral('127.0.0.1', true)).not.toThrow();
    expect(() => assertAllowedLiteral('8.8.8.8', false)).not.toThrow();
    expect(() => assertAllowedLiteral('localhost', false)).not.toThrow();
  });
});

function lookup(allowPrivate: boolean, all: boolean) {
  return new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) => {
    createGuardedLookup(allowPrivate)('localhost', { all }, (error, address) => resolve({ error, address }));
  });
}

describe('createGuardedLookup', () => {
  it('fails with ForbiddenAddressError when the name resolves to loopback', async () => {
    expect((await lookup(false, true)).error).toBeInstanceOf(ForbiddenAddressError);
    expect((await lookup(false, false)).error).toBeInstanceOf(ForbiddenAddressError);
  });

  it('resolves in the shape Node asked for when private addresses are allowed', async () => {
    const all = await lookup(true, true);
    expect(all.error).toBeNull();
    expect(Array.isArray(all.address)).toBe(true);
    const one = await lookup(true, false);
    expect(one.error).toBeNull();
    expect(typeof one.address === 'string' && isPublicAddress(one.address)).toBe(false);
  });
});
