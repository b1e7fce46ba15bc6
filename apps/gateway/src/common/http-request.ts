import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import typeis from 'type-is';

/*
 * What the gateway reads of a request, for either of Nest's HTTP adapters: Express hands over the Node request
 * itself (with `path` and `route` added), Fastify a wrapper holding it as `raw` (with `routeOptions`).
 * Structural, so that neither adapter's types are needed.
 */

/** A request of either adapter: Express's is the IncomingMessage, Fastify's wraps it. */
export type AdapterRequest = IncomingMessage | { raw: IncomingMessage };

/** The Node request underneath: what body streams, `complete` and type-is work on. */
export function rawRequest(request: AdapterRequest): IncomingMessage {
  return 'raw' in request ? request.raw : request;
}

/** A request as guards and handlers see it: its headers, and the body the adapter's parsers left (if any). */
export type BodyRequest = AdapterRequest & { readonly headers: IncomingHttpHeaders; body?: unknown };

/** The URL as sent (both adapters), and the path Express parsed from it. */
export interface PathRequest {
  readonly url?: string;
  readonly path?: string;
}

/**
 * The path without query: Express's own `path` when there is one (what its router matched), else the URL up
 * to the first `?` or `#` (where Fastify's router stops reading it).
 */
export function requestPath(request: PathRequest): string {
  if (typeof request.path === 'string') return request.path;
  return (request.url ?? '/').split(/[?#]/, 1)[0];
}

/** The route a request matched: Fastify's `routeOptions`, Express's `route`. */
export interface RoutedRequest {
  readonly routeOptions?: { readonly url?: string };
  readonly route?: { readonly path?: unknown };
}

/** The matched route's template (`/api/tenants/:tenantId/runs`); undefined when no route matched. */
export function routeTemplate(request: RoutedRequest): string | undefined {
  const template = request.routeOptions?.url ?? request.route?.path;
  return typeof template === 'string' ? template : undefined;
}

/**
 * Whether the request has a body sent as one of `types` (what Express' `request.is` answers, by the same
 * type-is): false without a body, or with another or no Content-Type.
 */
export function isMediaType(request: AdapterRequest, ...types: string[]): boolean {
  return Boolean(typeis(rawRequest(request), types));
}
