import type { ServerResponse } from 'node:http';

/*
 * What the gateway does with a response, for either of Nest's HTTP adapters: Express hands over the Node
 * response itself (with its own API added), Fastify a reply holding it as `raw`. Structural, so that neither
 * adapter's types are needed.
 */

/**
 * A response Nest still sends (`@Res({ passthrough: true })`, interceptors): status and headers only, by the
 * methods Express' Response and Fastify's reply both have.
 */
export interface HttpResponse {
  readonly statusCode: number;
  status(code: number): this;
  header(name: string, value: string): this;
  getHeader(name: string): number | string | string[] | undefined;
}

/** A response the handler writes itself (`@Res()`): Express's is the ServerResponse, Fastify's reply wraps it. */
export type StreamResponse = ServerResponse | { raw: ServerResponse; hijack(): unknown };

/**
 * Takes the response over for a body written by hand (an event stream, a zip, a report) and returns the Node
 * response to write it on. A Fastify reply is hijacked, or Fastify would answer too once the handler resolves.
 * Call it only once the answer is sure to be this one: an error thrown earlier must still reach the exception
 * filter, which cannot answer a hijacked reply.
 */
export function openRaw(response: StreamResponse): ServerResponse {
  if (!('raw' in response)) return response;
  response.hijack();
  return response.raw;
}
