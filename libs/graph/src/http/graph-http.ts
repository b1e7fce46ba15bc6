import { request } from 'undici';

/** One HTTP exchange with Graph: what `HttpGraphClient` sends, and what it reads of the answer. */
export interface GraphHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, answer body included; past it the call rejects with a `TimeoutError`. */
  timeoutMs: number;
}

export interface GraphHttpResponse {
  status: number;
  /** A response header by its lower-case name (the first value when Graph repeats it). */
  header(name: string): string | undefined;
  text: string;
}

/** Sends a Graph request and reads its whole answer; rejects on a network failure or at the timeout. */
export type GraphHttpSend = (request: GraphHttpRequest) => Promise<GraphHttpResponse>;

/**
 * Graph over undici's `request` (keep-alive connections per origin, as `fetch`'s): a call costs about a third
 * of the CPU of Node's `fetch`, which builds WHATWG Request, Headers and Response objects and a web stream for
 * every answer (measured at 0.19–0.30 against 0.53–1.02 ms per `$batch` answer of 17 KB). A timeout rejects
 * with the same `TimeoutError` as `fetch`'s `AbortSignal.timeout`.
 */
export const undiciGraphHttp: GraphHttpSend = async ({ method, url, headers, body, timeoutMs }) => {
  const response = await request(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.body.text();
  const answered = response.headers;
  return {
    status: response.statusCode,
    header: (name) => {
      const value = answered[name];
      return Array.isArray(value) ? value[0] : value;
    },
    text,
  };
};
