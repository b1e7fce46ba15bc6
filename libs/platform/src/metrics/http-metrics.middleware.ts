import type { ServerResponse } from 'node:http';
import { matchedRoute, type RoutedIncomingMessage } from '../http/fastify-options.js';
import { httpRequestDuration, httpRequests } from './platform.metrics.js';

/**
 * Counts and times every HTTP request once its response is finished (or the client went away). The route
 * label is the matched route's template (`/api/tenants/:tenantId/runs`), never the raw URL; a request no
 * route matched (404s, the admin UI's static files) is `unmatched`. Runs on the Node request before Fastify
 * (runService), so answers given before routing (bad URLs, body limits, unsafe input) are counted too.
 */
export function httpMetricsMiddleware(request: RoutedIncomingMessage, response: ServerResponse, next: () => void): void {
  const done = httpRequestDuration.startTimer();
  // 'close' follows 'finish', and also comes alone when the client went away first: one listener sees both.
  response.once('close', () => {
    const method = request.method ?? 'GET';
    const route = matchedRoute(request) ?? 'unmatched';
    httpRequests.inc({ method, route, status: String(response.statusCode) });
    if (!String(response.getHeader('content-type') ?? '').startsWith('text/event-stream')) done({ method, route });
  });
  next();
}
