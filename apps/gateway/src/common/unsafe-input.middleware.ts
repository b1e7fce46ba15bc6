import { unsafeInputProblem } from '@policyvault/platform';
import { GatewayException } from '../errors/gateway.exception.js';
import { requestPath, type PathRequest } from './http-request.js';

/**
 * Every request's input, checked once, right after the body parsers and before any guard or pipe: a NUL
 * character in the path (every path parameter comes from it), the query or the body, a body nested deeper
 * than MAX_INPUT_DEPTH, or a `__proto__` or `constructor` key is a 400 (the platform's `unsafeInputProblem`, the check every
 * NATS message gets too). Like malformed JSON, it is the request's form, so it answers before authentication.
 * A Fastify `preValidation` hook (configureHttp): after parsing, before guards, also for a request no route matches.
 */
export function rejectUnsafeInput(request: PathRequest & { query: unknown; body?: unknown }, _reply: unknown, done: (error?: GatewayException) => void): void {
  const problem = pathProblem(requestPath(request)) ?? unsafeInputProblem(request.query, 'query') ?? unsafeInputProblem(request.body, 'body');
  done(problem ? GatewayException.invalidRequest(problem) : undefined);
}

function pathProblem(path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null; // Malformed percent-encoding: Fastify's router has answered it (400, the gateway's frameworkErrors).
  }
  return decoded.includes('\0') ? 'path: must not contain NUL characters' : null;
}
