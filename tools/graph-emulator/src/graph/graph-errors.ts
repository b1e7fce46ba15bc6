import { randomUUID } from 'node:crypto';

export interface GraphAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): GraphAnswer {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'request-id': requestId, ...headers },
    body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': requestId, 'client-request-id': requestId } } },
  };
}

export const badRequest = (message: string) => graphError(400, 'BadRequest', message);
export const notFound = (message = 'Resource not found.') => graphError(404, 'ResourceNotFound', message);
export const throttled = (retryAfterSeconds?: number) =>
  graphError(429, 'TooManyRequests', 'Too many requests for this app and tenant. Retry after the Retry-After delay.', retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : undefined);
export const unavailable = (retryAfterSeconds?: number) =>
  graphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.', retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : undefined);
