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
  let recorded = false;
  const record = () => {
    if (recorded) return;
    recorded = true;
    const route = routeTemplate(request);
    httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
    if (!String(response.getHeader('content-type') ?? '').startsWith('text/event-stream')) done({ method: request.method, route });
  };
  response.once('finish', record);
  response.once('close', record);
  next();
}

function routeTemplate(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : 'unmatched';
}
