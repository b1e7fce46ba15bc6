import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration, httpRequests } from './platform.metrics.js';

/**
 * Counts and times every HTTP request once its response is finished (or the client went away). The route
 * label is the matched route's template (`/api/tenants/:tenantId/runs`), never the raw URL; a request no
 * route matched (404s, the admin UI's static files) is `unmatched`. Installed first (runService), so
 * answers given before routing (body limits, unsafe input) are counted too.
 */
export function httpMetricsMiddleware(request: Request, response: Response, next: NextFunction): void {
  const done = httpRequestDuration.startTimer();
  // 'close' follows 'finish', and also comes alone when the client went away first: one listener sees both.
  response.once('close', () => {
    const route = routeTemplate(request);
    httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
    if (!String(response.getHeader('content-type') ?? '').startsWith('text/event-stream')) done({ method: request.method, route });
  });
  next();
}

function routeTemplate(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : 'unmatched';
}
