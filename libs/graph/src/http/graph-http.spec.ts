import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { undiciGraphHttp } from './graph-http.js';

describe('undiciGraphHttp (a real HTTP server on loopback)', () => {
  let server: http.Server;
  let base: string;
  const received: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body });
        if (request.url === '/slow') return void setTimeout(() => response.end('{}'), 1_000);
        if (request.url === '/throttled') {
          response.writeHead(429, { 'Retry-After': '7', 'request-id': 'r-429', 'Set-Cookie': ['a=1', 'b=2'] });
          return void response.end('{"error":{"code":"TooManyRequests"}}');
        }
        if (request.url === '/compressed' && String(request.headers['accept-encoding']).includes('gzip')) {
          response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
          return void response.end(gzipSync(JSON.stringify({ value: [{ id: 'gzipped' }] })));
        }
        response.writeHead(200, { 'Content-Type': 'application/json', 'request-id': 'r-200' });
        response.end(JSON.stringify({ value: [{ id: 'é' }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => (received.length = 0));

  it('sends the method, headers and body, and hands back the status, headers by lower-case name and the whole text', async () => {
    const response = await undiciGraphHttp({
      method: 'POST',
      url: `${base}/beta/deviceManagement/deviceConfigurations`,
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: '{"displayName":"x"}',
      timeoutMs: 5_000,
    });
    expect(response.status).toBe(200);
    expect(response.header('request-id')).toBe('r-200');
    expect(response.header('retry-after')).toBeUndefined();
    expect(JSON.parse(response.text)).toEqual({ value: [{ id: 'é' }] });
    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/beta/deviceManagement/deviceConfigurations',
        headers: expect.objectContaining({ authorization: 'Bearer t', 'content-type': 'application/json' }),
        body: '{"displayName":"x"}',
      }),
    ]);
  });

  it('asks for compressed answers and hands back the inflated text', async () => {
    const response = await undiciGraphHttp({ method: 'GET', url: `${base}/compressed`, headers: {}, timeoutMs: 5_000 });
    expect(received[0].headers['accept-encoding']).toContain('gzip');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ value: [{ id: 'gzipped' }] });
  });

  it('answers error statuses as responses, with repeated headers joined', async () => {
    const response = await undiciGraphHttp({ method: 'GET', url: `${base}/throttled`, headers: {}, timeoutMs: 5_000 });
    expect(response.status).toBe(429);
    expect(response.header('retry-after')).toBe('7');
    expect(response.header('set-cookie')).toBe('a=1, b=2');
    expect(response.text).toBe('{"error":{"code":"TooManyRequests"}}');
  });

  it('rejects with a TimeoutError or AbortError when no whole answer came in time', async () => {
    const error = await undiciGraphHttp({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 100 }).catch((caught: unknown) => caught);
    expect(['TimeoutError', 'AbortError']).toContain((error as Error).name);
  });

  it('rejects, not as a timeout, when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await undiciGraphHttp({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: {}, timeoutMs: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(['TimeoutError', 'AbortError']).not.toContain((error as Error).name);
  });
});
