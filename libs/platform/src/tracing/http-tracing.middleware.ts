import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanStatusCode, context, propagation, type TextMapGetter } from '@opentelemetry/api';
import { SpanKind, startSpan } from './spans.js';

/** Probes and scrapes would drown the traces that matter. */
const UNTRACED = /^\/(health|metrics)(\/|$)/;

const getter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

type Request = IncomingMessage & { originalUrl?: string; baseUrl?: string; route?: { path?: unknown } };

/**
 * One server span per HTTP request (before every other middleware, so parsing, guards and the handler run
 * inside it): a caller's `traceparent` is its parent, its name the matched route (`POST
 * /api/tenants/:tenantId/runs`, never ids or the query), status 5xx an error. Installed only with tracing on.
 */
export function httpTracingMiddleware(request: Request, response: ServerResponse, next: () => void): void {
  const path = (request.originalUrl ?? request.url ?? '/').split('?')[0];
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
    const route = typeof request.route?.path === 'string' ? `${request.baseUrl ?? ''}${request.route.path}` : undefined;
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500 || !response.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  // Body parsers read in stream callbacks: bind the streams so those run in the span's context too.
  context.bind(started.context, request);
  context.bind(started.context, response);
  context.with(started.context, next);
}
