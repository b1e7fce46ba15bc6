import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanStatusCode, context, propagation, type Context, type TextMapGetter } from '@opentelemetry/api';
import { SpanKind, startSpan } from './spans.js';

/** Probes and scrapes would drown the traces that matter. */
const UNTRACED = /^\/(health|metrics)(\/|$)/;

const getter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

const SPAN_CONTEXT = Symbol('policyvault.httpSpanContext');

type Request = IncomingMessage & { originalUrl?: string; baseUrl?: string; route?: { path?: unknown }; [SPAN_CONTEXT]?: Context };

/**
 * One server span per HTTP request, started before every other middleware so it times parsing, guards and the
 * handler: a caller's `traceparent` is its parent, its name the matched route (`POST /api/tenants/:tenantId/runs`,
 * never ids or the query), status 5xx an error. Installed by runService only with tracing on.
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
  // The body parsers continue in the request stream's callbacks, outside this context: reenterHttpSpan, the
  // first middleware after them, makes it active again for guards and handlers (cheaper than binding the streams).
  request[SPAN_CONTEXT] = started.context;
  context.with(started.context, next);
}

/** Makes the request's span active again after the body parsers (TracingModule applies it to every route). */
export function reenterHttpSpan(request: Request, _response: ServerResponse, next: () => void): void {
  const spanContext = request[SPAN_CONTEXT];
  if (spanContext) context.with(spanContext, next);
  else next();
}
