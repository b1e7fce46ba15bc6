import type { ServerResponse } from 'node:http';

/*
 * What the gateway does with a Fastify reply, by the methods it uses (so that specs can fake them).
 */

/** A reply Nest still sends (`@Res({ passthrough: true })`, interceptors): status and headers only. */
export interface HttpResponse {
  readonly statusCode: number;
  status(code: number): this;
  header(name: string, value: string): this;
  getHeader(name: string): number | string | string[] | undefined;
}

/** A reply the handler writes itself (`@Res()`), on the Node response it wraps. */
export interface StreamResponse {
  readonly raw: ServerResponse;
  hijack(): unknown;
}

/**
 * Takes the reply over for a body written by hand (an event stream, a zip, a report) and returns the Node
 * response to write it on: hijacked, or Fastify would answer too once the handler resolves. Call it only once
 * the answer is sure to be this one: an error thrown earlier must still reach the exception filter, which
 * cannot answer a hijacked reply.
 */
export function openRaw(response: StreamResponse): ServerResponse {
  response.hijack();
  return response.raw;
}
