// The SSRF guard: a webhook goes only to http(s) URLs whose host resolves to public addresses — never to private,
// loopback, link-local (the cloud metadata address 169.254.169.254), multicast, unique-local or otherwise
// special ranges — unless an admin allowed this endpoint private addresses. Checked when the endpoint is saved
// and again at every send, on the very address the connection uses (a lookup hook), so a DNS answer that
// changes between the check and the connection (DNS rebinding) cannot slip through.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Whether an address is an ordinary public unicast one. ipaddr.js names the special ranges of RFC 6890 and its
 * successors (IPv4: private, loopback, linkLocal, carrierGradeNat, multicast, broadcast, reserved…; IPv6:
 * uniqueLocal, linkLocal, loopback, multicast, 6to4, teredo, rfc6052/rfc6145 translation…); only 'unicast' —
 * none of them — is public. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries, and
 * the IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo) are refused outright.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'unicast';
}

export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private or reserved address`);
    this.name = 'BlockedAddressError';
  }
}

export type UrlProblem =
  | { kind: 'invalid'; message: string }
  | { kind: 'blocked'; message: string }
  | { kind: 'unresolved'; message: string };

/** Parses and checks the form of a webhook URL (scheme, host, no fragment); null when it is acceptable. */
export function urlFormProblem(raw: string): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'invalid', message: 'Not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { kind: 'invalid', message: 'Only http:// and https:// URLs can receive webhooks' };
  if (!url.hostname) return { kind: 'invalid', message: 'The URL has no host' };
  return null;
}

function lookupAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

/**
 * Checks a webhook URL: its form, then every address its host resolves to. With `allowPrivate`, only the form
 * is checked (an admin said this endpoint lives inside the network).
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<UrlProblem | null> {
  const form = urlFormProblem(raw);
  if (form || allowPrivate) return form;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    return isPublicAddress(host)
      ? null
      : { kind: 'blocked', message: `${host} is a private, loopback, link-local or reserved address` };
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host);
  } catch {
    return { kind: 'unresolved', message: `The host ${host} could not be resolved` };
  }
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad)
    return {
      kind: 'blocked',
      message: `${host} resolves to ${bad.address}, a private, loopback, link-local or reserved address`,
    };
  if (addresses.length === 0) return { kind: 'unresolved', message: `The host ${host} has no address` };
  return null;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves the host and refuses the connection when any address is not
 * public: the check and the connection use the same answer.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) return callback(new BlockedAddressError(hostname, bad.address), '');
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      if (typeof options === 'object' && options?.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
