// Where a notification may be sent: https only and public addresses only (the production rule), unless
// NOTIFICATION_ALLOW_PRIVATE_TARGETS allows http and loopback/private receivers for development. The rule
// applies to the RESOLVED addresses, when an endpoint is saved and again at each delivery's connection
// (`guardedLookup`), so a name that resolves elsewhere later (DNS rebinding) reaches nothing private.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';

const lookupAll = promisify(dnsLookup);

export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** Only globally routable unicast addresses: loopback, private, link-local, CGNAT, multicast, reserved… are refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

export interface TargetRules {
  allowPrivateTargets: boolean;
}

/** Scheme and host rules that need no DNS: a clear 4xx message for each refusal. */
export function parseTargetUrl(text: string, rules: TargetRules): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetRefusedError('url: must be an absolute URL');
  }
  const schemes = rules.allowPrivateTargets ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new TargetRefusedError(rules.allowPrivateTargets ? 'url: must be http or https' : 'url: must be https');
  if (url.username || url.password) throw new TargetRefusedError('url: must not carry credentials');
  if (!url.hostname) throw new TargetRefusedError('url: must name a host');
  return url;
}

/** Resolves the URL's host and refuses it unless every address is allowed. */
export async function checkTarget(text: string, rules: TargetRules): Promise<URL> {
  const url = parseTargetUrl(text, rules);
  const addresses = await resolve(url.hostname);
  if (addresses.length === 0) throw new TargetRefusedError('url: the host does not resolve');
  if (!rules.allowPrivateTargets && !addresses.every((entry) => isPublicAddress(entry.address))) {
    throw new TargetRefusedError('url: the host resolves to a loopback, link-local or private address');
  }
  return url;
}

async function resolve(hostname: string): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return [{ address: host, family: host.includes(':') ? 6 : 4 }];
  try {
    return await lookupAll(host, { all: true });
  } catch {
    throw new TargetRefusedError('url: the host does not resolve');
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that checks the addresses the connection will use: the same rule as
 * when the endpoint was saved, at connect time.
 */
export function guardedLookup(rules: TargetRules) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as LookupAddress[];
      const refused = !rules.allowPrivateTargets && list.some((entry) => !isPublicAddress(entry.address));
      if (refused || list.length === 0) return callback(Object.assign(new TargetRefusedError('the host resolves to a refused address'), { code: 'ETARGETREFUSED' }), '');
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** What lists and logs show of a target: scheme, host and path (Teams and Workflows URLs carry their token in the query). */
export function displayTarget(text: string | null): string {
  if (!text) return '';
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '';
  }
}
