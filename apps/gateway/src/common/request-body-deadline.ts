import type { Server } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { CONNECTIONS_CHECK_INTERVAL_MS } from '@policyvault/platform';
import type { GatewayConfig } from '../gateway.config.js';

/**
 * No socket waits for a client that does not send: headers must arrive within HTTP_HEADERS_TIMEOUT_MS
 * (Node answers 408 and closes), and a body within HTTP_BODY_TIMEOUT_MS after them (requestBodyDeadline);
 * Node's request timeout backs both. An idle keep-alive connection stays open HTTP_KEEP_ALIVE_TIMEOUT_MS, longer
 * than the clients and proxies in front keep theirs: the client closes it first, never just as it sends a request.
 * Node reads these for every connection, so they apply to a server already listening (the boot gate's).
 */
export function applyServerTimeouts(server: Server, config: GatewayConfig): void {
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  // The longest body deadline (an import upload's) bounds every request; requestBodyDeadline applies each route's own.
  server.requestTimeout = config.HTTP_HEADERS_TIMEOUT_MS + Math.max(config.HTTP_BODY_TIMEOUT_MS, config.IMPORT_UPLOAD_TIMEOUT_MS) + CONNECTIONS_CHECK_INTERVAL_MS;
  // Read when the server starts listening: the boot gate's server is created with it; a server that is not yet
  // listening (a test's) takes it here (not typed by @types/node: it is a createServer option there).
  Object.assign(server, { connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS });
}

/**
 * A Fastify `onRequest` hook, before the body parsers. A Content-Length over the body limit is answered 400 at
 * once (the body parsers would first wait for the whole body to discard it). A request whose body has not
 * fully arrived within `timeoutMs` (a Content-Length larger than what is sent, a client that stalls) is
 * answered 408. Either way, and whenever a request is answered before its body arrived, the connection
 * is closed instead of the server waiting to read a body nobody will use.
 */
export function requestBodyDeadline(defaultTimeoutMs: number, defaultLimitBytes: number, upload?: { matches: (request: FastifyRequest) => boolean; timeoutMs: number; limitBytes: number }) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // An import upload (a streamed archive) has its own, larger limit and deadline.
    const isUpload = upload?.matches(request) === true;
    const timeoutMs = isUpload ? upload.timeoutMs : defaultTimeoutMs;
    const limitBytes = isUpload ? upload.limitBytes : defaultLimitBytes;
    const { raw } = request;
    reply.raw.once('finish', () => {
      if (!raw.complete) raw.socket.destroySoon();
    });
    if (raw.complete) return done();
    // Answered here, the hook does not call `done`: the request goes no further.
    const refuse = (statusCode: 400 | 408, error: string, message: string) => {
      void reply.header('Connection', 'close').code(statusCode).send({ statusCode, error, message });
    };
    if (Number(request.headers['content-length']) > limitBytes) return refuse(400, 'Bad Request', bodyTooLarge(limitBytes));
    const timer = setTimeout(() => {
      if (raw.complete || reply.sent || reply.raw.headersSent) return;
      refuse(408, 'Request Timeout', `the request body did not arrive within ${timeoutMs} ms`);
    }, timeoutMs);
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    reply.raw.once('close', clear);
    done();
  };
}

/** The one message of a body over HTTP_BODY_LIMIT_BYTES (also GatewayExceptionFilter's, for a body that grows past it). */
export function bodyTooLarge(limitBytes: number): string {
  return `request body exceeds ${limitBytes} bytes`;
}
