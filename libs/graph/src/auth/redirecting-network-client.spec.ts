import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedirectingNetworkClient } from './redirecting-network-client.js';

/** What the local "authority" received: method, path, content type and body. */
interface Received {
  method?: string;
  path?: string;
  contentType?: string;
  body: string;
}

describe('createRedirectingNetworkClient', () => {
  let server: Server;
  let baseUrl: string;
  const received: Received[] = [];
  let delayMs = 0;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], body });
        setTimeout(() => {
          response.writeHead(request.url?.endsWith('/token') ? 200 : 404, [
            ['Content-Type', 'application/json'],
            ['X-Ms-Request-Id', 'request-1'],
            ['Set-Cookie', 'a=1'],
            ['Set-Cookie', 'b=2'],
          ]);
          response.end(JSON.stringify(request.url?.endsWith('/token') ? { token_type: 'Bearer', expires_in: 3599, access_token: 'token-1' } : { error: 'not_found' }));
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    received.length = 0;
    delayMs = 0;
  });

  it("sends MSAL's https authority requests to the target, body and headers as given, and answers status, parsed body and lower-case headers", async () => {
    const client = createRedirectingNetworkClient(`${baseUrl}/`);
    const answer = await client.sendPostRequestAsync<{ access_token: string }>('https://login.microsoftonline.com/contoso/oauth2/v2.0/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: 'client_id=app&grant_type=client_credentials',
    });
    expect(received).toEqual([
      { method: 'POST', path: '/contoso/oauth2/v2.0/token', contentType: 'application/x-www-form-urlencoded;charset=utf-8', body: 'client_id=app&grant_type=client_credentials' },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toBe('token-1');
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'x-ms-request-id': 'request-1', 'set-cookie': 'a=1, b=2' });
  });

  it('leaves another host alone, answers an error status as it came, and rejects past the timeout', async () => {
    const client = createRedirectingNetworkClient(baseUrl, 'https://login.example.test');
    const missing = await client.sendGetRequestAsync<{ error: string }>(`${baseUrl}/contoso/v2.0/.well-known/openid-configuration`);
    expect([missing.status, missing.body.error, received[0].method, received[0].path]).toEqual([404, 'not_found', 'GET', '/contoso/v2.0/.well-known/openid-configuration']);

    delayMs = 500;
    await expect(client.sendGetRequestAsync(`https://login.example.test/contoso/discovery`, undefined, 100)).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
