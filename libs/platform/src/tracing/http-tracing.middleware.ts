import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanStatusCode, context, propagation, type TextMapGetter } from '@opentelemetry/api';
import { matchedRoute, type RoutedIncomingMessage } from '../http/fastify-options.js';
import { SpanKind, startSpan } from './spans.js';

/** Probes and scrapes would drown the traces that matter. */
const UNTRACED = /^\/(health|metrics)(\/|$)/;

const getter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/**
 * One server span per HTTP request, started on the Node request before Fastify so it times parsing, guards and the
 * handler: a caller's `traceparent` is its parent, its name the matched route (`POST /api/tenants/:tenantId/runs`,
 * never ids or the query), status 5xx an error. Installed by runService only with tracing on.
 */
export function httpTracingMiddleware(request: RoutedIncomingMessage, response: ServerResponse, next: () => void): void {
  const path = (request.url ?? '/').split('?')[0];
  if (UNTRACED.test(path)) return next();
  const method = request.method ?? 'GET';
  const started = startSpan(method, {
    kind: SpanKind.SERVER,
    parent: propagation.extract(ROOT_CONTEXT, request.headers, getter),
    attributes: { 'http.request.method': method, 'url.scheme': 'http' },
  });
  if (!started) return next();
  const { span } = started;
  response.once('close', () => {
    const route = matchedRoute(request);
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500 || !response.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  // Fastify's whole lifecycle runs in it: its body parsers resume in the request's async context.
  context.with(started.context, next);
}
