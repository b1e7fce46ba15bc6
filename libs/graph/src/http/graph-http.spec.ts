import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { undiciGraphHttp } from './graph-http.js';

/** undici's Graph exchange against a real HTTP server: what it sends, what it reads, and its timeout. */
describe('undiciGraphHttp', () => {
  let server: Server;
  let base: string;
  const received: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body });
        if (request.url === '/slow') return void setTimeout(() => response.end('{}'), 2_000).unref();
        if (request.url === '/slow-body') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('{"value":');
          return void setTimeout(() => response.end('[]}'), 2_000).unref();
        }
        // A repeated header comes back as its first value; names are read in lower case.
        response.setHeader('Request-Id', 'graph-request-1');
        response.setHeader('Set-Cookie', ['a=1', 'b=2']);
        response.writeHead(request.url === '/throttled' ? 429 : 200, { 'content-type': 'application/json', 'Retry-After': '7' });
        response.end(JSON.stringify({ echoed: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body, and reads the status, headers and whole body', async () => {
    const response = await undiciGraphHttp({
      method: 'POST',
      url: `${base}/beta/$batch`,
      headers: { authorization: 'Bearer token', accept: 'application/json', 'content-type': 'application/json' },
      body: '{"requests":[]}',
      timeoutMs: 5_000,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ echoed: '{"requests":[]}' });
    expect(response.header('request-id')).toBe('graph-request-1');
    expect(response.header('retry-after')).toBe('7');
    expect(response.header('set-cookie')).toBe('a=1');
    expect(response.header('client-request-id')).toBeUndefined();
    const sent = received.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', url: '/beta/$batch', body: '{"requests":[]}' });
    expect(sent.headers).toMatchObject({ authorization: 'Bearer token', accept: 'application/json', 'content-type': 'application/json' });
  });

  it('answers an error status as it is (the client decides what it means)', async () => {
    const response = await undiciGraphHttp({ method: 'GET', url: `${base}/throttled`, headers: {}, timeoutMs: 5_000 });
    expect(response.status).toBe(429);
    expect(response.header('retry-after')).toBe('7');
  });

  it.each(['/slow', '/slow-body'])('rejects with a TimeoutError when %s does not answer in time', async (path) => {
    // Without the timeout both answer (after 2 s): the rejection is the timeout's.
    await expect(undiciGraphHttp({ method: 'GET', url: `${base}${path}`, headers: {}, timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects when nothing listens (a network failure)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(undiciGraphHttp({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: {}, timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
