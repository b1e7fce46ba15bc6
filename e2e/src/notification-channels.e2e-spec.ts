// Notification channels through the gateway (notifier and gateway processes, production rules): the
// management routes, the owner rule, and SSRF — endpoints pointing at loopback or private addresses are
// refused with 400 (nothing is ever sent to them).
import { CONTOSO, startStack, type Stack } from '@policyvault/testing';
import { DEVELOPMENT_SECRET_KEYS } from '@policyvault/platform';

describe('notification channels through the gateway (production mode)', () => {
  let stack: Stack;
  const tokens: Record<string, string> = {};

  async function call(method: string, path: string, email: string, body?: object): Promise<{ status: number; body: Record<string, unknown> & unknown[] }> {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[email]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const base = `/api/tenants/${CONTOSO.id}`;

  beforeAll(async () => {
    stack = await startStack({
      services: ['notifier', 'gateway'],
      env: { SECRET_ENCRYPTION_KEYS: DEVELOPMENT_SECRET_KEYS.replace('local-development', 'e2e-key'), SECRET_ENCRYPTION_ACTIVE_KEY: 'e2e-key' },
    });
    for (const email of ['owner@contoso.test', 'reader@contoso.test']) tokens[email] = await stack.token(email);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://[::1]/hook',
    'https://10.0.0.7/hook',
    'https://192.168.10.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'http://93.184.215.14/hook',
  ])('refuses %s with 400 naming the url', async (url) => {
    const answer = await call('POST', `${base}/notification-endpoints`, 'owner@contoso.test', { scope: 'tenant', kind: 'webhook', name: 'x', url });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/^url: /) });
  });

  it('answers 400 for an email recipient with an unpaired surrogate (validator.js throws on one: it was a 500)', async () => {
    // JSON.stringify writes the lone surrogate as the escape \ud800, which the gateway's JSON parser turns back into one.
    const answer = await call('POST', `${base}/notification-endpoints`, 'owner@contoso.test', { scope: 'tenant', kind: 'email', name: 'x', emailTo: ['ops\ud800@contoso.test'] });
    expect(answer).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'body: text must be well-formed Unicode (an unpaired surrogate)' } });
  });

  it('owners add tenant endpoints and subscriptions (the signing secret said once), readers only personal ones; lists show no secret and no query', async () => {
    const created = await call('POST', `${base}/notification-endpoints`, 'owner@contoso.test', {
      scope: 'tenant',
      kind: 'webhook',
      name: 'PSA',
      url: 'https://93.184.215.14/hooks/pv?token=in-the-query',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: 'tenant', kind: 'webhook', target: 'https://93.184.215.14/hooks/pv', enabled: true, secret: expect.stringMatching(/^whsec_/) });
    const secret = String(created.body.secret);

    const listed = await call('GET', `${base}/notification-endpoints`, 'reader@contoso.test');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));
    expect(JSON.stringify(listed.body)).not.toContain('in-the-query');

    const readerTenant = await call('POST', `${base}/notification-endpoints`, 'reader@contoso.test', { scope: 'tenant', kind: 'teams', name: 't', url: 'https://93.184.215.14/x' });
    expect(readerTenant.status).toBe(403);
    const readerOwn = await call('POST', `${base}/notification-subscriptions`, 'reader@contoso.test', {
      scope: 'personal',
      endpointId: created.body.id,
      events: ['drift.found'],
      digest: true,
    });
    expect(readerOwn.status).toBe(201);
    // A reader may not change the tenant's endpoint.
    expect((await call('DELETE', `${base}/notification-endpoints/${String(created.body.id)}`, 'reader@contoso.test')).status).toBe(403);
    const subscription = await call('POST', `${base}/notification-subscriptions`, 'owner@contoso.test', {
      scope: 'tenant',
      endpointId: created.body.id,
      events: ['run.failed', 'tenant.access_lost'],
      digest: false,
    });
    expect(subscription.status).toBe(201);
    // Owners see the tenant's and their own; the reader's personal one is the reader's.
    expect((await call('GET', `${base}/notification-subscriptions`, 'owner@contoso.test')).body).toHaveLength(1);
    expect((await call('GET', `${base}/notification-subscriptions`, 'reader@contoso.test')).body).toHaveLength(2);
    expect((await call('GET', `${base}/notification-deliveries?status=dead`, 'owner@contoso.test')).body).toEqual([]);
    expect((await call('GET', `${base}/notification-deliveries?status=lost`, 'owner@contoso.test')).status).toBe(400);
    expect((await call('DELETE', `${base}/notification-endpoints/${String(created.body.id)}`, 'owner@contoso.test')).status).toBe(204);
    expect((await call('GET', `${base}/notification-subscriptions`, 'owner@contoso.test')).body).toEqual([]);
  });
});
