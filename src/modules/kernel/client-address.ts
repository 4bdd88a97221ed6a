// Who is on the other end of a request when Sarafan runs behind a reverse proxy (TRUST_PROXY).
//
// A proxy appends the address it received the connection from to X-Forwarded-For (the de-facto header; RFC 7239
// §5.2 `for=` is its standard form), so the header reads client, proxy1, proxy2… left to right and only its
// right end is written by machines we trust: everything to the left of the first untrusted address may be
// typed by the client. So the client is the right-most address that is not one of our proxies — never the
// left-most, which any visitor can set to anything (and so escape every per-IP limit).
import ipaddr from 'ipaddr.js';

/**
 * - `false`: the socket's peer is the client (no proxy; X-Forwarded-For is ignored — it is the client's text).
 * - `{ hops: n }`: exactly n proxies stand in front of Sarafan; the client is the n-th address from the right
 *   of X-Forwarded-For followed by the peer.
 * - `{ trusted }`: proxies are the peers in these networks; walk from the peer leftwards past them.
 */
export type TrustProxy = false | { hops: number } | { trusted: 'private' | Network[] };

type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** What `TRUST_PROXY=true` trusts: a proxy on this machine or in a private network (RFC 1918, RFC 4193…). */
const PRIVATE_RANGES = ['loopback', 'private', 'uniqueLocal', 'linkLocal', 'carrierGradeNat'];

/**
 * Reads TRUST_PROXY: unset, `false`, `off` or `0` = no proxy; `true` or `on` = proxies on loopback and private
 * networks; a whole number 1–20 = that many proxies; otherwise a comma-separated list of addresses and CIDR
 * networks of the proxies (`10.0.0.0/8, 2001:db8::/32, 203.0.113.7`). Throws with a plain message on anything else.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (['', 'false', 'off', 'no', '0'].includes(value)) return false;
  if (['true', 'on', 'yes'].includes(value)) return { trusted: 'private' };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 20) throw new Error('a number of proxies from 1 to 20');
    return { hops };
  }
  const trusted: Network[] = [];
  for (const part of value.split(',').map((p) => p.trim())) {
    if (ipaddr.isValidCIDR(part)) trusted.push(ipaddr.parseCIDR(part));
    else if (ipaddr.isValid(part)) {
      const address = ipaddr.process(part);
      trusted.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else
      throw new Error(`"${part}" is not true/false, a number of proxies, an IP address or a CIDR network`);
  }
  return { trusted };
}

/** An address as proxies write it ('203.0.113.7', '203.0.113.7:5123', '[2001:db8::1]:443'), without the port. */
function bare(entry: string): string {
  const text = entry.trim().replace(/^"|"$/g, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return v4WithPort ? v4WithPort[1]! : text;
}

/** One spelling per address ('::ffff:10.0.0.1' is 10.0.0.1), so a limit keyed by it cannot be split. */
function canonical(peer: string | undefined): string {
  if (!peer) return 'unknown';
  return ipaddr.isValid(peer) ? ipaddr.process(peer).toString() : peer;
}

function isTrusted(address: string, trust: Exclude<TrustProxy, false>): boolean {
  if (!('trusted' in trust) || !ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (trust.trusted === 'private') return PRIVATE_RANGES.includes(parsed.range());
  return trust.trusted.some(
    ([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits),
  );
}

/**
 * The client's address: the socket's `peer` unless TRUST_PROXY says the peer is a proxy, then the right-most
 * address in X-Forwarded-For that is not a trusted proxy (or, with a number of hops, the one that many places
 * to the left of the peer). Whatever is returned may still be text a client wrote when the proxies are
 * configured wrongly, so use it only as a key (rate limits), never as a fact.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string {
  const socket = canonical(peer);
  if (!trust) return socket;
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map(bare)
      .filter((a) => a.length > 0)
      .map((a) => (ipaddr.isValid(a) ? ipaddr.process(a).toString() : a.slice(0, 64))),
    socket,
  ];
  if ('hops' in trust) return chain[Math.max(0, chain.length - 1 - trust.hops)]!;
  for (let i = chain.length - 1; i > 0; i--) if (!isTrusted(chain[i]!, trust)) return chain[i]!;
  return chain[0]!;
}

/** True when the request reached a trusted proxy over HTTPS (X-Forwarded-Proto set by the proxy next to us). */
export function forwardedHttps(
  peer: string | undefined,
  forwardedProto: string | undefined,
  trust: TrustProxy,
): boolean {
  if (!trust || !forwardedProto) return false;
  const socket = canonical(peer);
  if ('trusted' in trust && !isTrusted(socket, trust)) return false;
  // The proxy next to us appended last (or replaced the header): its word is the right-most one.
  return forwardedProto.split(',').at(-1)?.trim().toLowerCase() === 'https';
}
