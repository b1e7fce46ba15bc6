import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '../gateway.config.js';

/** How often Node checks its connections against the header and request timeouts (its default is 30 s). */
const CONNECTION_CHECK_INTERVAL_MS = 1000;

/**
 * No socket waits for a client that does not send: headers must arrive within HTTP_HEADERS_TIMEOUT_MS
 * (Node answers 408 and closes), and a body within HTTP_BODY_TIMEOUT_MS after them (requestBodyDeadline);
 * Node's request timeout backs both. Set before the server listens.
 */
export function applyServerTimeouts(server: Server, config: GatewayConfig): void {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  // The longest body deadline (an import upload's) bounds every request; requestBodyDeadline applies each route's own.
  server.requestTimeout = config.HTTP_HEADERS_TIMEOUT_MS + Math.max(config.HTTP_BODY_TIMEOUT_MS, config.IMPORT_UPLOAD_TIMEOUT_MS) + CONNECTION_CHECK_INTERVAL_MS;
  // Read when the server starts listening (not typed by @types/node: it is a createServer option there).
  Object.assign(server, { connectionsCheckingInterval: CONNECTION_CHECK_INTERVAL_MS });
}

/**
 * Express middleware, before the body parsers. A Content-Length over the body limit is answered 400 at
 * once (the body parsers would first wait for the whole body to discard it). A request whose body has not
 * fully arrived within `timeoutMs` (a Content-Length larger than what is sent, a client that stalls) is
 * answered 408. Either way, and whenever a request is answered before its body arrived, the connection
 * is closed instead of the server waiting to read a body nobody will use.
 */
export function requestBodyDeadline(defaultTimeoutMs: number, defaultLimitBytes: number, upload?: { matches: (request: Request) => boolean; timeoutMs: number; limitBytes: number }) {
  return (request: Request, response: Response, next: NextFunction): void => {
    // An import upload (a streamed archive) has its own, larger limit and deadline.
    const isUpload = upload?.matches(request) === true;
    const timeoutMs = isUpload ? upload.timeoutMs : defaultTimeoutMs;
    const limitBytes = isUpload ? upload.limitBytes : defaultLimitBytes;
    response.once('finish', () => {
      if (!request.complete) request.socket.destroySoon();
    });
    if (request.complete) return next();
    const refuse = (statusCode: 400 | 408, error: string, message: string) => {
      response.setHeader('Connection', 'close');
      response.status(statusCode).json({ statusCode, error, message });
    };
    if (Number(request.headers['content-length']) > limitBytes) return refuse(400, 'Bad Request', bodyTooLarge(limitBytes));
    const timer = setTimeout(() => {
      if (request.complete || response.headersSent) return;
      refuse(408, 'Request Timeout', `the request body did not arrive within ${timeoutMs} ms`);
    }, timeoutMs);
    const clear = () => clearTimeout(timer);
    request.once('end', clear);
    response.once('close', clear);
    next();
  };
}

/** The one message of a body over HTTP_BODY_LIMIT_BYTES (also GatewayExceptionFilter's, for a body that grows past it). */
export function bodyTooLarge(limitBytes: number): string {
  return `request body exceeds ${limitBytes} bytes`;
}
