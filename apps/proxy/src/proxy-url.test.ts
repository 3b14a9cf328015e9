import { describe, expect, it } from 'vitest';
import { fromProxyPath, toProxyUrl } from './proxy-url.ts';

describe('toProxyUrl', () => {
  it('maps scheme, host, path and query under the proxy base', () => {
    expect(toProxyUrl('http://127.0.0.1:8787', 'https://caldav.example.com/dav/cal/?a=1#frag')).toBe(
      'http://127.0.0.1:8787/https/caldav.example.com/dav/cal/?a=1',
    );
    expect(toProxyUrl('https://proxy.example/base/', 'http://127.0.0.1:5232/alice/')).toBe(
      'https://proxy.example/base/http/127.0.0.1:5232/alice/',
    );
  });

  it('drops user info and default ports, keeps IPv6 brackets', () => {
    expect(toProxyUrl('http://p', 'https://u:pw@caldav.example.com:443/x')).toBe('http://p/https/caldav.example.com/x');
    expect(toProxyUrl('http://p', 'http://[::1]:5232/x')).toBe('http://p/http/[::1]:5232/x');
  });

  it('rejects non-http schemes', () => {
    expect(() => toProxyUrl('http://p', 'ftp://example.com/')).toThrow(TypeError);
  });
});

describe('fromProxyPath', () => {
  it('inverts toProxyUrl', () => {
    for (const target of [
      'https://caldav.example.com/dav/cal/',
      'http://127.0.0.1:5232/alice/cal/event%201.ics?x=1&y=2',
      'http://[::1]:5232/',
    ]) {
      const path = new URL(toProxyUrl('http://p', target));
      expect(fromProxyPath(`${path.pathname}${path.search}`)?.href).toBe(target);
    }
  });

  it('accepts a bare host or a query without path', () => {
    expect(fromProxyPath('/https/caldav.example.com')?.href).toBe('https://caldav.example.com/');
    expect(fromProxyPath('/https/caldav.example.com?x=1')?.href).toBe('https://caldav.example.com/?x=1');
  });

  it('rejects anything else', () => {
    for (const path of [
      '',
      '/',
      '/https/',
      '/ftp/example.com/',
      'https://example.com/',
      '/https/user:pw@example.com/',
      '/https/example.com\\@evil.example/',
      '/https/exa mple.com/',
    ]) {
      expect(fromProxyPath(path), path).toBeUndefined();
    }
  });
});
