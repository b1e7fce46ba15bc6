// The gateway's limits, end to end (gateway and run-service processes): per-user and per-tenant request
// limits (429 with Retry-After), the per-user cap on open live streams, and clients that never finish
// sending a request (answered 408 or 400 and disconnected, no socket left waiting). The limits are set
// low here on purpose; the defaults are far above what any other test or benchmark sends.
import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { CONTOSO, FABRIKAM, openSse, startStack, waitFor, type SseConnection, type Stack } from '@policyvault/testing';

const USER_LIMIT = 40;
const TENANT_LIMIT = 50;
const STREAM_CAP = 3;
/** Above Node's default of 5 s, which the gateway replaces. */
const KEEP_ALIVE_MS = 8000;

/** Writes `data` on a fresh connection and collects what comes back until the server closes it. */
function rawExchange(url: string, data: string): Promise<{ received: string; closed: Promise<void>; write(more: string): void }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(data);
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      const closed = new Promise<void>((resolveClosed) => socket.once('close', () => resolveClosed()));
      resolve({
        get received() {
          return received;
        },
        closed,
        write: (more) => socket.write(more),
      });
    });
    socket.once('error', reject);
  });
}

describe('gateway limits (gateway and run-service processes)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      services: ['run-service', 'gateway'],
      env: {
        RATE_LIMIT_WINDOW_MS: '600000',
        RATE_LIMIT_USER_REQUESTS: String(USER_LIMIT),
        RATE_LIMIT_TENANT_REQUESTS: String(TENANT_LIMIT),
        SSE_MAX_STREAMS_PER_USER: String(STREAM_CAP),
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_BODY_TIMEOUT_MS: '1000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
        SSE_HEARTBEAT_MS: '1500',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string, token: string) => request(stack.gatewayUrl).get(path).set('authorization', `Bearer ${token}`);

  it('caps the live streams one user holds open: the next one is 429 while the others stay open; closing one frees a slot', async () => {
    const token = await stack.token('operator@contoso.test');
    const url = `${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/runs/events`;
    const streams: SseConnection[] = [];
    for (let index = 0; index < STREAM_CAP; index += 1) streams.push(await openSse(url, { token }));
    await Promise.all(streams.map((stream) => stream.waitFor((events) => events.length >= 1, 10_000, 'the snapshot')));
    expect(streams.map((stream) => stream.status)).toEqual(Array(STREAM_CAP).fill(200));

    const refused = await openSse(url, { token });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.errorBody).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many live streams: at most ${STREAM_CAP} open at once per user on this gateway (SSE_MAX_STREAMS_PER_USER); close one first`,
    });
    // Another user is not affected.
    const owner = await stack.token('owner@contoso.test');
    const others = await openSse(url, { token: owner });
    expect(others.status).toBe(200);
    others.close();
    expect(streams.some((stream) => stream.isEnded())).toBe(false);

    streams[0].close();
    const reopened = await waitFor(
      () => openSse(url, { token }),
      (stream) => stream.status === 200 || (stream.close(), false),
      { what: 'a slot freed by the closed stream', intervalMs: 100 },
    );
    // The request timeouts (3 s here) concern receiving requests, not answers: open streams outlive them.
    await streams[1].waitFor(() => streams[1].comments.filter((comment) => comment === 'heartbeat').length >= 3, 15_000, 'three heartbeats');
    expect(streams.slice(1).some((stream) => stream.isEnded())).toBe(false);
    for (const stream of [...streams, reopened]) stream.close();
  });

  it("counts a user's stream of every tenant they see (GET /api/runs/events) as ONE stream, however many tenants, sharing the cap with tenant streams", async () => {
    // The administrator sees both demo tenants: counted per tenant, the second stream would already be refused.
    const token = await stack.token('admin@msp.test');
    const streams: SseConnection[] = [];
    for (let index = 0; index < STREAM_CAP; index += 1) streams.push(await openSse(`${stack.gatewayUrl}/api/runs/events`, { token }));
    await Promise.all(streams.map((stream) => stream.waitFor((events) => events.some((event) => event.event === 'snapshot'), 10_000, 'the snapshot')));
    expect(streams.map((stream) => stream.status)).toEqual(Array(STREAM_CAP).fill(200));
    expect(JSON.parse(streams[0].events[0].data)).toEqual({ tenantIds: expect.arrayContaining([CONTOSO.id, FABRIKAM.id]) });

    for (const path of ['/api/runs/events', `/api/tenants/${CONTOSO.id}/runs/events`]) {
      const refused = await openSse(`${stack.gatewayUrl}${path}`, { token });
      expect(refused.status).toBe(429);
    }
    streams[0].close();
    const reopened = await waitFor(
      () => openSse(`${stack.gatewayUrl}/api/runs/events`, { token }),
      (stream) => stream.status === 200 || (stream.close(), false),
      { what: 'the slot freed by the closed stream', intervalMs: 100 },
    );
    for (const stream of [...streams, reopened]) stream.close();
  });

  it('answers a body that never arrives with 408 and closes the connection', async () => {
    const stalled = await rawExchange(
      stack.gatewayUrl,
      `POST /api/tenants/${CONTOSO.id}/runs HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"type":`,
    );
    await stalled.closed;
    expect(stalled.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(stalled.received).toContain('"message":"the request body did not arrive within 1000 ms"');
  });

  it('answers a huge Content-Length at once (400) and closes the connection instead of waiting for the body', async () => {
    const huge = await rawExchange(
      stack.gatewayUrl,
      `POST /api/tenants/${CONTOSO.id}/runs HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{}`,
    );
    await huge.closed;
    expect(huge.received).toMatch(/^HTTP\/1\.1 400 /);
    expect(huge.received).toContain('request body exceeds');
  });

  it('closes a connection whose headers never end, about when the headers timeout ends (checked every second)', async () => {
    const began = Date.now();
    const slow = await rawExchange(stack.gatewayUrl, `GET /api/me HTTP/1.1\r\nHost: gateway\r\nX-Slow: `);
    await slow.closed;
    expect(slow.received === '' || /^HTTP\/1\.1 408 /.test(slow.received)).toBe(true);
    // 1 s of timeout and up to 1 s until the next check; Node's own check interval would be 30 s.
    expect(Date.now() - began).toBeLessThan(6000);
  });

  it('keeps an idle keep-alive connection open HTTP_KEEP_ALIVE_TIMEOUT_MS (not Node\'s 5 s), then closes it', async () => {
    const live = `GET /health/live HTTP/1.1\r\nHost: gateway\r\nConnection: keep-alive\r\n\r\n`;
    const connection = await rawExchange(stack.gatewayUrl, live);
    const answers = () => connection.received.match(/HTTP\/1\.1 200 /g)?.length ?? 0;
    await waitFor(async () => answers(), (count) => count === 1, { what: 'the first answer' });
    await new Promise((resolve) => setTimeout(resolve, 6000));
    connection.write(live);
    await waitFor(async () => answers(), (count) => count === 2, { what: 'the second answer, on the same connection after 6 s idle' });
    const idleFrom = Date.now();
    await connection.closed;
    const idleMs = Date.now() - idleFrom;
    expect(idleMs).toBeGreaterThan(KEEP_ALIVE_MS - 1000);
    expect(idleMs).toBeLessThan(KEEP_ALIVE_MS + 5000);
  }, 30_000);

  it('limits the requests of one user (429 with Retry-After and a message); another user is unaffected', async () => {
    const reader = await stack.token('reader@contoso.test');
    const statuses: number[] = [];
    for (let index = 0; index < USER_LIMIT; index += 1) statuses.push((await get('/api/me', reader)).status);
    expect(statuses).toEqual(Array(USER_LIMIT).fill(200));
    const limited = await get('/api/me', reader).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(new RegExp(`^too many requests: at most ${USER_LIMIT} requests from you per 600 s on this gateway \\(RATE_LIMIT_USER_REQUESTS\\); retry after \\d+ s$`)),
    });
    // Tenant routes are limited for this user as well.
    await get(`/api/tenants/${CONTOSO.id}/runs`, reader).expect(429);
    await get('/api/me', await stack.token('owner@fabrikam.test')).expect(200);
    // Health and the OpenAPI document are not limited.
    await request(stack.gatewayUrl).get('/health/live').expect(200);
    await request(stack.gatewayUrl).get('/docs-json').expect(200);
  });

  it("limits the requests into one tenant by all its users; another tenant is unaffected", async () => {
    const users = await Promise.all(['owner@contoso.test', 'operator@contoso.test'].map((email) => stack.token(email)));
    const runs = `/api/tenants/${CONTOSO.id}/runs`;
    let limited: request.Response | undefined;
    // At most TENANT_LIMIT requests into Contoso within the window (earlier tests used some), shared by both users.
    for (let index = 0; index <= TENANT_LIMIT && !limited; index += 1) {
      const response = await get(runs, users[index % 2]);
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited!.body.message).toMatch(new RegExp(`^too many requests: at most ${TENANT_LIMIT} requests into this tenant by all its users per 600 s`));
    await get(runs, users[1]).expect(429);
    // Neither user is over their own limit: elsewhere they are served.
    await get('/api/me', users[0]).expect(200);
    const fabrikamOwner = await stack.token('owner@fabrikam.test');
    await get(`/api/tenants/${FABRIKAM.id}/runs`, fabrikamOwner).expect(200);
  });
});
