// The production rule for endpoint addresses (NOTIFICATION_ALLOW_PRIVATE_TARGETS off, the default): https
// only, and no host that resolves to a loopback, link-local or private address. Nothing is ever sent to
// these addresses: they are refused when the endpoint is saved (the gateway answers the refusal with 400).
import { randomUUID } from 'node:crypto';
import { NotificationChannelKind, NotificationRpc, NotificationScope, type NotificationEndpointView } from '@policyvault/contracts';
import { DEVELOPMENT_SECRET_KEYS } from '@policyvault/platform';
import { createNotifierFixture, type NotifierFixture } from './notifier.fixture.js';

describe('notification endpoint targets in production mode (notifier process)', () => {
  let fixture: NotifierFixture;
  const tenantId = randomUUID();
  const actor = { tenantId, userId: '22222222-2222-4222-8222-222222222222', isOwner: true, scope: NotificationScope.Tenant };

  beforeAll(async () => {
    // Production: keys configured (a test key), private targets not allowed.
    const keys = DEVELOPMENT_SECRET_KEYS.replace('local-development', 'test-key');
    fixture = await createNotifierFixture({ SECRET_ENCRYPTION_KEYS: keys, SECRET_ENCRYPTION_ACTIVE_KEY: 'test-key' });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback by name', 'https://localhost/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['private 10/8', 'https://10.1.2.3/hook'],
    ['private 172.16/12', 'https://172.20.0.5/hook'],
    ['private 192.168/16', 'https://192.168.1.10/hook'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data'],
    ['IPv6 unique local', 'https://[fd00::1]/hook'],
    ['unspecified', 'https://0.0.0.0/hook'],
    ['plain http', 'http://93.184.215.14/hook'],
    ['credentials in the URL', 'https://user:pass@93.184.215.14/hook'],
  ])('%s is refused with validation_failed (HTTP 400 at the gateway)', async (_what, url) => {
    for (const kind of [NotificationChannelKind.Webhook, NotificationChannelKind.Teams]) {
      const error = await fixture.rpc.requestError(NotificationRpc.createEndpoint, { ...actor, kind, name: 'x', url });
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(/^url: /);
    }
    const { rows } = await fixture.database.pool.query(`SELECT count(*)::int AS n FROM notifier.notification_endpoints`);
    expect(rows[0].n).toBe(0);
  });

  it('a public https address is accepted (a literal: no DNS needed), its signing secret sealed with the configured key', async () => {
    const created = await fixture.rpc.request<NotificationEndpointView & { secret?: string }>(NotificationRpc.createEndpoint, {
      ...actor,
      kind: NotificationChannelKind.Webhook,
      name: 'PSA',
      url: 'https://93.184.215.14/hooks/policyvault?token=abc',
    });
    expect(created).toMatchObject({ enabled: true, target: 'https://93.184.215.14/hooks/policyvault' });
    const { rows } = await fixture.database.pool.query(`SELECT secret -> 'policyVaultSecret' ->> 'keyId' AS key FROM notifier.notification_endpoints WHERE id = $1`, [created.id]);
    expect(rows[0].key).toBe('test-key');
    // Email needs an SMTP server, and none is configured here: refused clearly.
    const email = await fixture.rpc.requestError(NotificationRpc.createEndpoint, { ...actor, kind: NotificationChannelKind.Email, name: 'x', emailTo: ['a@b.example'] });
    expect(email).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('SMTP') });
  });
});
