import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import typeis from 'type-is';

/*
 * What the gateway reads of a Fastify request, by the properties it uses (so that specs can fake them): the
 * Node request underneath (`raw`), the URL as sent, the route the router matched (`routeOptions`).
 */

/** A request holding the Node request it wraps: what body streams, `complete` and type-is work on. */
export interface RawBackedRequest {
  readonly raw: IncomingMessage;
}

/** A request as guards and handlers see it: its headers, and the body the parsers left (if any). */
export type BodyRequest = RawBackedRequest & { readonly headers: IncomingHttpHeaders; body?: unknown };

/** The URL as sent, query included. */
export interface PathRequest {
  readonly url: string;
}

/** The path without query: the URL up to the first `?` or `#` (where Fastify's router stops reading it). */
export function requestPath(request: PathRequest): string {
  return request.url.split(/[?#]/, 1)[0];
}

/** The route a request matched: its template, undefined when none did. */
export interface RoutedRequest {
  readonly routeOptions: { readonly url?: string };
}

/** The matched route's template (`/api/tenants/:tenantId/runs`); undefined when no route matched. */
export function routeTemplate(request: RoutedRequest): string | undefined {
  return request.routeOptions.url;
}

/**
 * Whether the request has a body sent as one of `types` (what Express' `request.is` answered, by the same
 * type-is): false without a body, or with another or no Content-Type.
 */
export function isMediaType(request: RawBackedRequest, ...types: string[]): boolean {
  return Boolean(typeis(request.raw, types));
}
