import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type RequestWithBody = IncomingMessage & { body?: unknown };
type BodyParserMiddleware = (request: RequestWithBody, response: ServerResponse, next: (error?: Error) => void) => void;

/**
 * The gateway's request bodies, read by Express' own body-parser inside Fastify's content-type parsers, so that
 * they are what they were on Express: strict JSON (a bare string is malformed), an empty JSON body `{}`, an
 * unsupported charset 415, compressed bodies inflated, forms (without nested keys) and CSV (bulk onboarding) as
 * text, all under one byte limit (a larger body is body-parser's 413, answered 400 by GatewayExceptionFilter).
 * Fastify's own parsers go: its `text/plain` was never read. Any other type is left unread (`body` undefined):
 * guards refuse it, and an import upload streams the Node request itself.
 */
export function registerBodyParsers(fastify: FastifyInstance, limitBytes: number): void {
  fastify.removeAllContentTypeParsers();
  const parsers: Record<string, BodyParserMiddleware> = {
    'application/json': bodyParser.json({ limit: limitBytes }),
    'application/x-www-form-urlencoded': bodyParser.urlencoded({ limit: limitBytes, extended: false }),
    'text/csv': bodyParser.text({ type: 'text/csv', limit: limitBytes }),
  };
  for (const [type, parse] of Object.entries(parsers)) {
    fastify.addContentTypeParser(type, (request: FastifyRequest, _payload, done) => {
      const raw: RequestWithBody = request.raw;
      // body-parser reads the Node request and never writes the response: there is none at this point.
      parse(raw, undefined as unknown as ServerResponse, (error) => done(error ?? null, raw.body));
    });
  }
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
