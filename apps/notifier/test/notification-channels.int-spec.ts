// Notification channels end to end: the notifier process (real JetStream and Postgres) delivering to
// local receivers — a webhook receiver that checks Standard Webhooks signatures, a Teams-shaped receiver,
// and an SMTP server (smtp-server) — with redelivered events, failing and dead receivers, and a digest.
import 'reflect-metadata';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SMTPServer } from 'smtp-server';
import {
  DirectoryRpc,
  NotificationChannelKind,
  NotificationKind,
  NotificationDeliveryStatus,
  NotificationEventKind,
  NotificationRpc,
  NotificationScope,
  RunStatus,
  RunType,
  SafeErrorCode,
  ScheduleAlertKind,
  TenantAccessHealth,
  type CreatedNotificationEndpointView,
  type NotificationDeliveryView,
  type NotificationEndpointView,
  type ScheduleAlertEvent,
} from '@policyvault/contracts';
import { NamespacedNatsServer } from '@policyvault/platform';
import { NATS_URL, waitFor } from '@policyvault/testing';
import { tenantsSubscriptionRoutes } from '../src/database/notifier.sql.js';
import { createNotifierFixture, statusEvent, UI_BASE_URL, type NotifierFixture } from './notifier.fixture.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local HTTP receiver answering from a script of statuses per webhook-id (then 200). */
class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  script: (request: Received, previousAttempts: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        const key = String(request.headers['webhook-id'] ?? received.body);
        const previous = this.requests.filter((other) => String(other.headers['webhook-id'] ?? other.body) === key).length;
        this.requests.push(received);
        const answer = this.script(received, previous);
        response.writeHead(answer.status, answer.headers).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Standard Webhooks verification, written from the convention (not from the sender's code). */
function verifySignature(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((candidate) => {
      const [version, signature] = candidate.split(',');
      const bytes = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && bytes.length === expected.length && timingSafeEqual(bytes, expected);
    });
}

/** The tenants' owners as the gateway's directory would answer them (DirectoryRpc.tenantOwners). */
const TENANT_OWNERS = [
  { userId: '33333333-3333-4333-8333-333333333331', email: 'owner-a@msp.example.test' },
  { userId: '33333333-3333-4333-8333-333333333332', email: 'owner-b@msp.example.test' },
];

@Controller()
class FakeDirectoryController {
  @MessagePattern(DirectoryRpc.tenantOwners)
  owners(@Payload() _request: { tenantId: string }) {
    return { owners: TENANT_OWNERS };
  }
}

@Module({ controllers: [FakeDirectoryController] })
class FakeDirectoryModule {}

interface Mail {
  to: string[];
  raw: string;
}

describe('notification channels (notifier process, local receivers)', () => {
  let fixture: NotifierFixture;
  let smtp: SMTPServer;
  let directory: INestMicroservice;
  const mails: Mail[] = [];
  const owner = { userId: '22222222-2222-4222-8222-222222222222', isOwner: true };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    fixture = await createNotifierFixture({
      NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_FROM: 'alerts@policyvault.example.test',
      DELIVERY_MAX_ATTEMPTS: '3',
      DELIVERY_BACKOFF_BASE_MS: '50',
      DELIVERY_BACKOFF_MAX_MS: '200',
      DELIVERY_POLL_MS: '100',
      ENDPOINT_DISABLE_AFTER: '2',
      DIGEST_WINDOW_MS: '5000',
    });
    directory = await NestFactory.createMicroservice(FakeDirectoryModule, {
      strategy: new NamespacedNatsServer(fixture.nats.namespace, { servers: NATS_URL, queue: 'gateway' }),
      logger: false,
    });
    await directory.listen();
  });

  afterAll(async () => {
    await directory?.close();
    await fixture?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  const createEndpoint = (tenantId: string, body: Record<string, unknown>) =>
    fixture.rpc.request<CreatedNotificationEndpointView>(NotificationRpc.createEndpoint, { tenantId, ...owner, scope: NotificationScope.Tenant, ...body });
  const subscribe = (tenantId: string, endpointId: string, events: NotificationEventKind[], digest = false) =>
    fixture.rpc.request(NotificationRpc.createSubscription, { tenantId, ...owner, scope: NotificationScope.Tenant, endpointId, events, digest });
  const deliveries = (tenantId: string, extra: object = {}) =>
    fixture.rpc.request<NotificationDeliveryView[]>(NotificationRpc.listDeliveries, { tenantId, ...owner, ...extra });

  it('a signed webhook: exactly one delivery per event, when the event is redelivered and when the receiver answers 500 twice (with Retry-After) then 200', async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    try {
      receiver.script = (_request, previous) => (previous === 0 ? { status: 503, headers: { 'retry-after': '1' } } : previous === 1 ? { status: 500 } : { status: 200 });
      const tenantId = randomUUID();
      const endpoint = await createEndpoint(tenantId, { kind: NotificationChannelKind.Webhook, name: 'PSA', url: `${url}/hooks/policyvault` });
      expect(endpoint.secret).toMatch(/^whsec_/);
      await subscribe(tenantId, endpoint.id, [NotificationEventKind.RunFailed, NotificationEventKind.RunPartial]);
      // Stored sealed by SecretCipher: the secret is nowhere in the row.
      const { rows } = await fixture.database.pool.query(`SELECT secret::text AS secret FROM notifier.notification_endpoints WHERE id = $1`, [endpoint.id]);
      expect(rows[0].secret).toContain('policyVaultSecret');
      expect(rows[0].secret).not.toContain(endpoint.secret!.slice('whsec_'.length));

      const token = `eyJhbGciOiJSUzI1NiJ9.${randomUUID()}.c2lnbmF0dXJl`;
      const failed = statusEvent({
        tenantId,
        status: RunStatus.Failed,
        counts: { total: 4, succeeded: 1, failed: 3, skipped: 0 },
        error: { code: SafeErrorCode.GraphAuthFailed, message: 'Microsoft Graph refused the credentials.', context: { authorization: `Bearer ${token}` } },
      });
      const succeeded = statusEvent({ tenantId, status: RunStatus.Succeeded });
      // Each published twice (the stream keeps both copies): a redelivery.
      for (const event of [failed, succeeded, failed]) await fixture.publish(event);
      await fixture.drained();

      const [delivered] = await waitFor(
        () => deliveries(tenantId),
        (list) => list.length === 1 && list[0].status === NotificationDeliveryStatus.Delivered,
        { what: 'the failed run delivered' },
      );
      expect(delivered).toMatchObject({ eventKey: failed.eventId, eventKind: NotificationEventKind.RunFailed, attempts: 3, lastHttpStatus: 200 });
      // Three attempts, one webhook-id, every one signed; the first answer's Retry-After (1 s) was waited for.
      expect(receiver.requests).toHaveLength(3);
      expect(new Set(receiver.requests.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivered.id]));
      for (const request of receiver.requests) expect(verifySignature(endpoint.secret!, request.headers, request.body)).toBe(true);
      expect(receiver.requests[1].at - receiver.requests[0].at).toBeGreaterThanOrEqual(900);
      expect(verifySignature(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, receiver.requests[2].headers, receiver.requests[2].body)).toBe(false);

      const body = JSON.parse(receiver.requests[2].body);
      expect(body).toMatchObject({
        type: 'run.failed',
        data: {
          tenantId,
          title: 'Backup set capture failed',
          run: { id: failed.runId, status: RunStatus.Failed, counts: { total: 4, failed: 3 } },
          error: { code: SafeErrorCode.GraphAuthFailed, message: 'Microsoft Graph refused the credentials.' },
          link: `${UI_BASE_URL}/tenants/${tenantId}/runs/${failed.runId}`,
        },
      });
      expect(receiver.requests[2].body).not.toContain(token);
      // Nothing of the secret in the notifier's log.
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(fixture.notifier.logFile, 'utf8')).not.toContain(endpoint.secret!.slice('whsec_'.length, 30));

      // The consumer recreated and the stream replayed: nothing is sent again.
      await fixture.notifier.stop();
      await fixture.nats.jsm.consumers.delete(fixture.nats.names.runStatusStream, 'notifier');
      await fixture.restart();
      await fixture.drained();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests).toHaveLength(3);
      expect(await deliveries(tenantId)).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('Teams gets an Adaptive Card (1.4: body, facts, Action.OpenUrl to the run); email arrives as HTML and text', async () => {
    const teams = new Receiver();
    const url = await teams.start();
    try {
      const tenantId = randomUUID();
      const card = await createEndpoint(tenantId, { kind: NotificationChannelKind.Teams, name: 'Teams channel', url: `${url}/workflows/123?sig=token-in-query` });
      expect(card.target).toBe(`${url}/workflows/123`);
      const mail = await createEndpoint(tenantId, { kind: NotificationChannelKind.Email, name: 'NOC mailbox', emailTo: ['noc@msp.example.test'] });
      await subscribe(tenantId, card.id, [NotificationEventKind.DriftFound, NotificationEventKind.RunPartial]);
      await subscribe(tenantId, mail.id, [NotificationEventKind.TenantAccessLost]);

      const partial = statusEvent({ tenantId, type: RunType.BackupSetCreate, status: RunStatus.Partial, counts: { total: 10, succeeded: 7, failed: 3, skipped: 0 } });
      const access = statusEvent({
        tenantId,
        type: RunType.TenantVerifyAccess,
        status: RunStatus.Succeeded,
        counts: { total: 1, succeeded: 1, failed: 0, skipped: 0 },
        summary: { health: TenantAccessHealth.NoConsent, missingPermissions: [], grantedPermissions: [] },
      });
      await fixture.publish(partial);
      await fixture.publish(access);

      await waitFor(() => Promise.resolve(teams.requests.length), (count) => count === 1, { what: 'the Teams card' });
      const message = JSON.parse(teams.requests[0].body);
      expect(message.type).toBe('message');
      expect(message.attachments).toHaveLength(1);
      expect(message.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
      const content = message.attachments[0].content;
      expect(content).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
      expect(Array.isArray(content.body) && content.body.length > 0).toBe(true);
      for (const element of content.body) expect(['TextBlock', 'FactSet']).toContain(element.type);
      expect(content.body[0]).toMatchObject({ type: 'TextBlock', text: 'Backup set capture finished with errors' });
      expect(content.body.find((element: { type: string }) => element.type === 'FactSet').facts).toContainEqual({ title: 'Items', value: '7 succeeded, 3 failed, 0 skipped of 10' });
      expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the run', url: `${UI_BASE_URL}/tenants/${tenantId}/runs/${partial.runId}` }]);

      const [received] = await waitFor(() => Promise.resolve(mails.filter((each) => each.to.includes('noc@msp.example.test'))), (list) => list.length === 1, { what: 'the email' });
      expect(received.raw).toMatch(/^From: alerts@policyvault\.example\.test/m);
      expect(received.raw).toMatch(/^Subject: Tenant access lost/m);
      expect(received.raw).toMatch(/Content-Type: text\/plain/);
      expect(received.raw).toMatch(/Content-Type: text\/html/);
      expect(received.raw).toContain('no consent');
    } finally {
      await teams.close();
    }
  });

  it('a receiver down for good: dead letters with the last error, the endpoint disabled after the configured count, the owners told on their other endpoint and in the app', async () => {
    const down = new Receiver();
    const downUrl = await down.start();
    await down.close(); // nothing listens there any more
    const tenantId = randomUUID();
    const hook = await createEndpoint(tenantId, { kind: NotificationChannelKind.Webhook, name: 'Old PSA', url: `${downUrl}/hook` });
    const mailbox = await createEndpoint(tenantId, { kind: NotificationChannelKind.Email, name: 'Owners', emailTo: ['owners@msp.example.test'] });
    await subscribe(tenantId, hook.id, [NotificationEventKind.RunFailed]);

    const events = [statusEvent({ tenantId, status: RunStatus.Failed }), statusEvent({ tenantId, status: RunStatus.Failed }), statusEvent({ tenantId, status: RunStatus.Failed })];
    for (const event of events.slice(0, 2)) await fixture.publish(event);

    const dead = await waitFor(
      () => deliveries(tenantId, { status: NotificationDeliveryStatus.Dead }),
      (list) => list.length === 2,
      { what: 'two dead letters' },
    );
    for (const letter of dead) expect(letter).toMatchObject({ endpointId: hook.id, attempts: 3, lastError: expect.stringMatching(/ECONNREFUSED/) });

    const endpoints = await waitFor(
      () => fixture.rpc.request<NotificationEndpointView[]>(NotificationRpc.listEndpoints, { tenantId, ...owner }),
      (list) => list.some((endpoint) => endpoint.id === hook.id && !endpoint.enabled),
      { what: 'the endpoint disabled' },
    );
    expect(endpoints.find((endpoint) => endpoint.id === hook.id)).toMatchObject({ enabled: false, consecutiveFailures: 2, disabledReason: expect.stringContaining('2 deliveries in a row') });
    const [told] = await waitFor(() => Promise.resolve(mails.filter((each) => each.to.includes('owners@msp.example.test'))), (list) => list.length === 1, { what: "the owners' email" });
    expect(told.raw).toMatch(/^Subject: .*Notification_endpoint/m);
    expect(told.raw).toMatch(/^Notification endpoint "Old PSA" was disabled\r?$/m);
    void mailbox;

    // Each owner of the tenant (from the directory) gets one in-app notification, not about a run.
    const { rows: inApp } = await fixture.database.pool.query(
      `SELECT user_id AS "userId", kind, run_id AS "runId", status, title, link, event_id AS "eventId" FROM notifier.notifications WHERE tenant_id = $1 AND kind IS NOT NULL ORDER BY user_id`,
      [tenantId],
    );
    expect(inApp).toEqual(
      TENANT_OWNERS.map((each) => ({
        userId: each.userId,
        kind: NotificationKind.EndpointDisabled,
        runId: null,
        status: null,
        title: 'Notification endpoint "Old PSA" was disabled',
        link: `${UI_BASE_URL}/tenants/${tenantId}/settings`,
        eventId: `endpoint:${hook.id}:disabled:2`,
      })),
    );
    // Listed to the owner through the query API like any notification.
    const page = await fixture.rpc.request<{ items: { kind: string | null; runId: string | null; title: string }[] }>(NotificationRpc.list, {
      userId: TENANT_OWNERS[0].userId,
      visibleTenantIds: [tenantId],
    });
    expect(page.items).toEqual([expect.objectContaining({ kind: NotificationKind.EndpointDisabled, runId: null, title: 'Notification endpoint "Old PSA" was disabled' })]);

    // Disabled: a later event adds no delivery to it.
    await fixture.publish(events[2]);
    await fixture.drained();
    expect((await deliveries(tenantId, { endpointId: hook.id })).map((delivery) => delivery.eventKey).sort()).toEqual(events.slice(0, 2).map((event) => event.eventId).sort());
  });

  it("events of several tenants handled at once: each goes to its own tenant's subscriptions only (the routing read they share)", async () => {
    const failedHooks = new Receiver();
    const partialHooks = new Receiver();
    const urls = [await failedHooks.start(), await partialHooks.start()];
    try {
      const [failedOnly, partialOnly, unsubscribed, disabled] = Array.from({ length: 4 }, () => randomUUID());
      await subscribe(failedOnly, (await createEndpoint(failedOnly, { kind: NotificationChannelKind.Webhook, name: 'Failed', url: urls[0] })).id, [NotificationEventKind.RunFailed]);
      await subscribe(partialOnly, (await createEndpoint(partialOnly, { kind: NotificationChannelKind.Webhook, name: 'Partial', url: urls[1] })).id, [NotificationEventKind.RunPartial]);
      const off = await createEndpoint(disabled, { kind: NotificationChannelKind.Webhook, name: 'Off', url: urls[0] });
      await subscribe(disabled, off.id, [NotificationEventKind.RunFailed, NotificationEventKind.RunPartial]);
      await fixture.database.pool.query(`UPDATE notifier.notification_endpoints SET enabled = false WHERE id = $1`, [off.id]);

      // Interleaved, so the consumer hands them to the handlers together; upper-case ids name the same tenants.
      const events = [failedOnly, partialOnly, unsubscribed, disabled].flatMap((tenantId, index) =>
        [RunStatus.Failed, RunStatus.Partial, RunStatus.Failed].map((status) => statusEvent({ tenantId: index % 2 ? tenantId.toUpperCase() : tenantId, status })),
      );
      await Promise.all(events.map((event) => fixture.publish(event, fixture.nats.names.runStatusSubject(event.tenantId))));
      await fixture.drained();

      const ofTenant = (tenantId: string, status: RunStatus) => events.filter((event) => event.tenantId.toLowerCase() === tenantId && event.status === status).map((event) => event.eventId).sort();
      const keysOf = async (tenantId: string, count: number) =>
        (await waitFor(() => deliveries(tenantId), (list) => list.length === count, { what: `${count} deliveries of tenant ${tenantId}` })).map((delivery) => delivery.eventKey).sort();
      expect(await keysOf(failedOnly, 2)).toEqual(ofTenant(failedOnly, RunStatus.Failed));
      expect(await keysOf(partialOnly, 1)).toEqual(ofTenant(partialOnly, RunStatus.Partial));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await deliveries(unsubscribed)).toHaveLength(0);
      expect(await deliveries(disabled)).toHaveLength(0);
      await waitFor(() => Promise.resolve(failedHooks.requests.length + partialHooks.requests.length), (count) => count === 3, { what: 'three webhook requests' });
      expect(failedHooks.requests.map((request) => JSON.parse(request.body).data.tenantId.toLowerCase()).sort()).toEqual([failedOnly, failedOnly]);
      expect(partialHooks.requests.map((request) => JSON.parse(request.body).data.tenantId.toLowerCase())).toEqual([partialOnly]);
    } finally {
      await failedHooks.close();
      await partialHooks.close();
    }
  });

  it('the shared routing read answers each tenant its own routes, in the order asked, repeated tenants included', async () => {
    const [first, second, none] = [randomUUID(), randomUUID(), randomUUID()];
    const firstEndpoint = await createEndpoint(first, { kind: NotificationChannelKind.Webhook, name: 'First', url: 'http://127.0.0.1:9/hook' });
    await subscribe(first, firstEndpoint.id, [NotificationEventKind.RunFailed], true);
    const secondEndpoint = await createEndpoint(second, { kind: NotificationChannelKind.Webhook, name: 'Second', url: 'http://127.0.0.1:9/hook' });
    await subscribe(second, secondEndpoint.id, [NotificationEventKind.RunPartial, NotificationEventKind.DriftFound]);
    // The test database's pool, answering rows as TypeORM's query does.
    const pool = { query: async (sql: string, parameters: unknown[]) => (await fixture.database.pool.query(sql, parameters)).rows } as Parameters<typeof tenantsSubscriptionRoutes>[0];
    const routes = await tenantsSubscriptionRoutes(pool, [second, first, none, second]);
    expect(routes.map((list) => list.map((route) => [route.endpointId, [...route.events].sort(), route.digest]))).toEqual([
      [[secondEndpoint.id, [NotificationEventKind.DriftFound, NotificationEventKind.RunPartial].sort(), false]],
      [[firstEndpoint.id, [NotificationEventKind.RunFailed], true]],
      [],
      [[secondEndpoint.id, [NotificationEventKind.DriftFound, NotificationEventKind.RunPartial].sort(), false]],
    ]);
  });

  it('digest: 30 failed runs in a tenant within the window → one message summarizing them', async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    try {
      const tenantId = randomUUID();
      const endpoint = await createEndpoint(tenantId, { kind: NotificationChannelKind.Webhook, name: 'Digest', url });
      await subscribe(tenantId, endpoint.id, [NotificationEventKind.RunFailed], true);
      const events = Array.from({ length: 30 }, () => statusEvent({ tenantId, status: RunStatus.Failed }));
      for (const event of events) await fixture.publish(event);
      for (const event of events.slice(0, 5)) await fixture.publish(event); // redelivered: counted once
      await fixture.drained();
      expect(receiver.requests).toHaveLength(0);

      await waitFor(() => Promise.resolve(receiver.requests.length), (count) => count === 1, { what: 'the digest', timeoutMs: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(receiver.requests).toHaveLength(1);
      const body = JSON.parse(receiver.requests[0].body);
      expect(body.type).toBe('digest');
      expect(body.data.title).toBe('PolicyVault digest: 30 events');
      expect(body.data.entries).toHaveLength(30);
      expect(new Set(body.data.entries.map((entry: { link: string }) => entry.link))).toEqual(new Set(events.map((event) => `${UI_BASE_URL}/tenants/${tenantId}/runs/${event.runId}`)));
      expect(await deliveries(tenantId)).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('another tenant\'s endpoint id answers other_tenant; a member who is not an owner cannot add tenant endpoints', async () => {
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const endpoint = await createEndpoint(tenantA, { kind: NotificationChannelKind.Email, name: 'A', emailTo: ['a@msp.example.test'] });
    const error = await fixture.rpc.requestError(NotificationRpc.testEndpoint, { tenantId: tenantB, ...owner, endpointId: endpoint.id });
    expect(error).toMatchObject({ code: 'other_tenant', tenantId: tenantA.toLowerCase() });
    const forbidden = await fixture.rpc.requestError(NotificationRpc.createEndpoint, {
      tenantId: tenantA,
      userId: owner.userId,
      isOwner: false,
      scope: NotificationScope.Tenant,
      kind: NotificationChannelKind.Email,
      name: 'x',
      emailTo: ['x@msp.example.test'],
    });
    expect(forbidden.code).toBe('forbidden');
  });
  it('schedule alerts: a failing schedule and a skipped slot make one delivery each to the subscribed webhook, also when redelivered; other subscriptions get none', async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    const other = new Receiver();
    const otherUrl = await other.start();
    try {
      const tenantId = randomUUID();
      const endpoint = await createEndpoint(tenantId, { kind: NotificationChannelKind.Webhook, name: 'Schedules', url: `${url}/hook` });
      await subscribe(tenantId, endpoint.id, [NotificationEventKind.ScheduleFailing, NotificationEventKind.ScheduleSkipped]);
      const runsOnly = await createEndpoint(tenantId, { kind: NotificationChannelKind.Webhook, name: 'Runs only', url: `${otherUrl}/hook` });
      await subscribe(tenantId, runsOnly.id, [NotificationEventKind.RunFailed]);

      const scheduleId = randomUUID();
      const runId = randomUUID();
      const base = { tenantId, scheduleId, scheduleName: 'Nightly', occurredAt: new Date().toISOString() };
      const failing: ScheduleAlertEvent = { ...base, eventId: `schedule:${scheduleId}:failing:${runId}`, kind: ScheduleAlertKind.Failing, runId, consecutiveFailures: 3 };
      const skipped: ScheduleAlertEvent = {
        ...base,
        eventId: `schedule:${scheduleId}:skipped:2029-03-02T02:30:00.000Z`,
        kind: ScheduleAlertKind.Skipped,
        slotAt: '2029-03-02T02:30:00.000Z',
        reason: 'the previous run of this schedule was still queued or running',
      };
      const subject = fixture.nats.names.scheduleAlertSubject(tenantId);
      // The failing alert published twice (the stream keeps both copies): a redelivery.
      for (const event of [failing, skipped, failing]) await fixture.publish(event, subject);
      // An alert filed under another tenant's subject is refused.
      await fixture.publish({ ...failing, eventId: `schedule:${scheduleId}:failing:${randomUUID()}` }, fixture.nats.names.scheduleAlertSubject(randomUUID()));

      await waitFor(
        () => fixture.nats.jsm.consumers.info(fixture.nats.names.runStatusStream, 'notifier-schedule-alerts'),
        (info) => info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0,
        { what: 'the schedule alerts handled' },
      );
      const delivered = await waitFor(
        () => deliveries(tenantId),
        (list) => list.length === 2 && list.every((delivery) => delivery.status === NotificationDeliveryStatus.Delivered),
        { what: 'two deliveries' },
      );
      expect(delivered.map((delivery) => [delivery.eventKey, delivery.eventKind]).sort()).toEqual(
        [
          [failing.eventId, NotificationEventKind.ScheduleFailing],
          [skipped.eventId, NotificationEventKind.ScheduleSkipped],
        ].sort(),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests).toHaveLength(2);
      expect(other.requests).toHaveLength(0);
      for (const request of receiver.requests) expect(verifySignature(endpoint.secret!, request.headers, request.body)).toBe(true);
      const bodies = receiver.requests.map((request) => JSON.parse(request.body));
      expect(bodies.find((body) => body.type === 'schedule.failing')).toMatchObject({
        data: {
          tenantId,
          title: 'Schedule "Nightly" failed 3 times in a row',
          schedule: { id: scheduleId, name: 'Nightly', runId, consecutiveFailures: 3 },
          link: `${UI_BASE_URL}/tenants/${tenantId}/schedules/${scheduleId}`,
        },
      });
      expect(bodies.find((body) => body.type === 'schedule.skipped')).toMatchObject({
        data: { title: 'Schedule "Nightly" skipped a slot', schedule: { id: scheduleId, slotAt: '2029-03-02T02:30:00.000Z' } },
      });
    } finally {
      await receiver.close();
      await other.close();
    }
  });
});
