import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ForbiddenAddressError } from './errors.ts';

/**
 * True when the proxy may connect to `address` without `allowPrivate`: only globally
 * routable unicast addresses. Everything ipaddr.js classifies otherwise (loopback,
 * RFC 1918, link-local, unique-local, unspecified, CGNAT, multicast, reserved, …) is
 * refused, as are strings that are not IP addresses.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  // `::ffff:127.0.0.1` reaches 127.0.0.1: judge the IPv4 address inside.
  if (range === 'ipv4Mapped') return v6.toIPv4Address().range() === 'unicast';
  // NAT64 (64:ff9b::/96) is how IPv6-only hosts reach public IPv4 servers, so allow it
  // when the embedded IPv4 address is public.
  if (v6.match(NAT64_WELL_KNOWN, 96)) return embeddedIPv4(v6).range() === 'unicast';
  // Deprecated IPv4-compatible `::a.b.c.d` has no range of its own in ipaddr.js.
  if (v6.match(IPV4_COMPATIBLE, 96)) return false;
  return range === 'unicast';
}

const NAT64_WELL_KNOWN = ipaddr.IPv6.parse('64:ff9b::');
const IPV4_COMPATIBLE = ipaddr.IPv6.parse('::');

function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = ip.toByteArray().slice(12);
  return new ipaddr.IPv4(bytes);
}

/**
 * Refuses an upstream whose host is an IP literal that is not public. Node skips the
 * `lookup` hook for IP literals, so this check must run before connecting.
 *
 * @throws ForbiddenAddressError
 */
export function assertAllowedLiteral(hostname: string, allowPrivate: boolean): void {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (allowPrivate || isIP(bare) === 0) return;
  if (!isPublicAddress(bare)) throw new ForbiddenAddressError(bare);
}

/**
 * A `lookup` for `http.request` that resolves with `dns.lookup` and fails with
 * {@link ForbiddenAddressError} when any resolved address is not public. Checking at connect
 * time, on the addresses actually dialled, defeats DNS rebinding (a name that resolves to a
 * public address when checked and to 127.0.0.1 when connecting). Any non-public answer
 * refuses the host, because Node may try every address it gets.
 */
export function createGuardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '');
        return;
      }
      const forbidden = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (forbidden) {
        callback(new ForbiddenAddressError(forbidden.address), '');
        return;
      }
      const first = addresses[0];
      if (options.all) callback(null, addresses);
      else if (first) callback(null, first.address, first.family);
      else callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
    });
  };
}
