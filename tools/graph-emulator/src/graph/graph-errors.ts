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
/** What Intune answers for a body its model refuses (unknown, read-only or navigation property, action entry). */
export const modelValidationFailure = (message: string) => graphError(400, 'ModelValidationFailure', message);
export const notFound = (message = 'Resource not found.') => graphError(404, 'ResourceNotFound', message);
export const methodNotAllowed = (message: string) => graphError(405, 'MethodNotAllowed', message);
export const failedDependency = (dependency: string) => graphError(424, 'FailedDependency', `The request depends on request '${dependency}', which failed.`);
/** 429; `retryAfterSeconds` undefined omits the header, as some Intune answers do. */
export const throttled = (retryAfterSeconds: number | undefined) =>
  graphError(429, 'TooManyRequests', 'Too many requests for this app and tenant.', retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) });
export const unavailable = (retryAfterSeconds?: number) =>
  graphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.', retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : undefined);
