import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { FastifyReply, FastifyRequest, FastifyServerOptions, HookHandlerDoneFunction } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route serving one file of a directory (the admin UI's): counted and traced as `unmatched`, like a 404. */
    staticFile?: boolean;
  }
}

/**
 * Every service's Fastify settings, chosen to answer as Express did: routes match whatever the case and with or
 * without a trailing slash, a path parameter has no length limit of its own (a 5,000-character tenant id is the
 * guard's 400, not the router's 414), the query is parsed by Node's querystring (Express's "simple" parser),
 * and a request arriving during a graceful stop is still served (Fastify's 503 would carry no Retry-After).
 */
export const PLATFORM_FASTIFY_OPTIONS = {
  routerOptions: {
    caseSensitive: false,
    ignoreTrailingSlash: true,
    maxParamLength: 65_535,
    querystringParser: (query: string) => parseQuery(query),
  },
  return503OnClosing: false,
} satisfies FastifyServerOptions;

/** Code that sees every request on the Node server, before Fastify (metrics, tracing): calls `next` to go on. */
export type RawMiddleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

const FASTIFY_REQUEST = Symbol('policyvault.fastifyRequest');

/** A Node request, with the Fastify request made of it once Fastify routed it (rememberFastifyRequest). */
export type RoutedIncomingMessage = IncomingMessage & { [FASTIFY_REQUEST]?: FastifyRequest };

/** An `onRequest` hook: lets code that only holds the Node request (RawMiddleware) find the route it matched. */
export function rememberFastifyRequest(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  (request.raw as RoutedIncomingMessage)[FASTIFY_REQUEST] = request;
  done();
}

/**
 * The template of the route a request matched (`/api/tenants/:tenantId/runs`), never the raw URL; undefined when
 * none did: a 404, a request the router refused, a static file or a wildcard (the OpenAPI UI's files). Read it
 * once the response is finished, after a possible switch to the not-found handler.
 */
export function matchedRoute(request: RoutedIncomingMessage): string | undefined {
  const routed = request[FASTIFY_REQUEST];
  if (!routed || routed.is404 || routed.routeOptions.config.staticFile === true) return undefined;
  const template = routed.routeOptions.url;
  return template === undefined || template.includes('*') ? undefined : template;
}
