import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { Agent, request } from 'undici';

/** One HTTP exchange with Graph, as the client needs it: the whole body read as text. */
export interface GraphHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface GraphHttpResponse {
  status: number;
  /** A response header by its lower-case name. */
  header(name: string): string | undefined;
  text: string;
}

/**
 * Sends one request. Rejects (with an error named `TimeoutError` or `AbortError` when `timeoutMs` passed) when no
 * whole answer came: the caller maps that to a transient Graph error and never keeps the error itself.
 */
export type GraphHttp = (request: GraphHttpRequest) => Promise<GraphHttpResponse>;

/** Keep-alive connections per origin, shared by every tenant of the process. */
const dispatcher = new Agent();

/** What the `Accept-Encoding` asked for, inflated as `fetch` did (off the event loop, in libuv's pool). */
const INFLATE = new Map<string, (compressed: Buffer) => Promise<Buffer>>([
  ['gzip', promisify(gunzip)],
  ['x-gzip', promisify(gunzip)],
  ['deflate', promisify(inflate)],
  ['br', promisify(brotliDecompress)],
]);

/**
 * Graph over undici's `request`: the client Node's `fetch` is built on, without the WHATWG Request/Response/stream
 * layers, which cost a capture worker a third of its CPU per Graph request (bench/fleet-scale/RESULTS.md). Asks for
 * compressed answers as `fetch` does.
 */
export const undiciGraphHttp: GraphHttp = async ({ method, url, headers, body, timeoutMs }) => {
  const response = await request(url, {
    method: method as 'GET',
    headers: { 'Accept-Encoding': 'gzip, deflate, br', ...headers },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    dispatcher,
  });
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const raw = Buffer.from(await response.body.arrayBuffer());
  const encoding = header('content-encoding')?.trim().toLowerCase();
  const inflated = !encoding || encoding === 'identity' ? raw : await inflateAs(encoding, raw);
  return { status: response.statusCode, header, text: inflated.toString('utf8') };
};

function inflateAs(encoding: string, compressed: Buffer): Promise<Buffer> {
  const inflateWith = INFLATE.get(encoding);
  if (!inflateWith) throw new Error(`unsupported content-encoding ${encoding}`);
  return inflateWith(compressed);
}

