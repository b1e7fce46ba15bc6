import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { requestPath, routeTemplate, type PathRequest, type RoutedRequest } from '../common/http-request.js';
import { GatewayException } from '../errors/gateway.exception.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Visible ASCII without spaces, like a UUID or a ULID; the structured-field form "…" is accepted too. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The key a request sent, undefined without one; 400 for a malformed one. */
export function idempotencyKeyOf(request: { headers: IncomingHttpHeaders }): string | undefined {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header.join(', ') : header;
  const key = /^"[^"]*"$/.test(raw) ? raw.slice(1, -1) : raw;
  if (!KEY.test(key)) throw GatewayException.invalidRequest('Idempotency-Key: must be 1 to 255 visible ASCII characters without spaces (e.g. a UUID)');
  return key;
}

/** A request's method, path, matched route and path ids, as Fastify has them. */
interface ScopedRequest extends PathRequest, RoutedRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** `POST /api/tenants/<tenantId>/runs`: the route with its path ids (lower-cased), so a key is bound to one route and tenant. */
export function idempotencyScopeOf(request: ScopedRequest): string {
  // Stored with the key (gateway.idempotency_keys): it must stay the same across deploys (and was the same on Express).
  const template = routeTemplate(request) ?? requestPath(request);
  const path = template.replace(/:(\w+)/g, (_match: string, name: string) => String(request.params[name] ?? '').toLowerCase());
  return `${request.method} ${path}`;
}

/** SHA-256 of the body with object keys sorted: the same request sent again, in any key order, has the same hash. */
export function requestHashOf(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(sortedKeys(body ?? null))).digest('hex');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, entry]) => [key, sortedKeys(entry)]));
}
