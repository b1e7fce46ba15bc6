// Notifications through the real pipeline: run-service (start RPC, worker events, outbox) → run-status
// stream → notifier → Postgres, read back through the notifier's query API. No gateway needed.
import { randomUUID } from 'node:crypto';
import {
  NotificationRpc,
  RunRpc,
  RunStatus,
  RunType,
  SafeErrorCode,
  WorkerEventSubjects,
  workerEventSubject,
  type NotificationPage,
  type RunStatusEvent,
  type RunView,
  type StartRunReply,
} from '@policyvault/contracts';
import { CONTOSO, connectNatsRpc, startStack, waitFor, type NatsRpc, type Stack } from '@policyvault/testing';

const UI_BASE_URL = 'https://policyvault.example.test';

describe('notifications for real runs (run-service and notifier processes)', () => {
  let stack: Stack;
  let rpc: NatsRpc;

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'notifier'], env: { UI_BASE_URL } });
    rpc = await connectNatsRpc(stack.nats.namespace);
  }, 180_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
  });

  const now = () => new Date().toISOString();

  async function startRun(userId: string): Promise<RunView> {
    const reply = await rpc.request<StartRunReply>(RunRpc.start, {
      tenantId: CONTOSO.id,
      tenantDirectoryId: CONTOSO.directoryId,
      type: RunType.BackupSetCreate,
      target: { name: `Nightly ${randomUUID()}` },
      scope: { policyTypes: ['deviceConfiguration'] },
      initiator: { userId, email: 'operator@contoso.test' },
    });
    return reply.run;
  }

  const workerEvent = (kind: keyof typeof WorkerEventSubjects, runId: string, event: object) =>
    stack.nats.js.publish(stack.nats.names.subject(workerEventSubject(WorkerEventSubjects[kind], 'capture-worker')), JSON.stringify({ runId, tenantId: CONTOSO.id, occurredAt: now(), ...event }));

  const waitForStatus = (runId: string, status: RunStatus) =>
    waitFor(() => rpc.request<RunView>(RunRpc.get, { tenantId: CONTOSO.id, runId }), (run) => run.status === status, { what: `run ${status}` });

  const notifications = (userId: string) => rpc.request<NotificationPage>(NotificationRpc.list, { userId, visibleTenantIds: [CONTOSO.id] });

  async function statusMessages(runId: string): Promise<{ subject: string; data: Uint8Array; event: RunStatusEvent }[]> {
    const { names, jsm } = stack.nats;
    const { state } = await jsm.streams.info(names.runStatusStream);
    const found = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(names.runStatusStream, { seq }).catch(() => null);
      const event = message?.json<RunStatusEvent>();
      if (message && event?.runId === runId) found.push({ subject: message.subject, data: message.data, event });
    }
    return found;
  }

  it('gives queued → running → succeeded exactly three notifications, across a notifier crash and republished events', async () => {
    const userId = randomUUID();
    const run = await startRun(userId);
    await waitFor(() => notifications(userId), (page) => page.items.length === 1, { what: 'the queued notification' });

    // The notifier crashes; the run goes on without it.
    await stack.services.find((service) => service.name.startsWith('notifier'))!.kill();
    await workerEvent('runStarted', run.id, { plannedItems: 2 });
    for (const itemKey of ['policy:a', 'policy:b']) await workerEvent('itemFinished', run.id, { itemKey, status: 'succeeded' });
    await workerEvent('runFinished', run.id, { outcome: 'completed', itemCount: 2 });
    await waitForStatus(run.id, RunStatus.Succeeded);
    // Every status event of the run published a second time (a relay retry past the dedupe window).
    // The relay publishes right after the commit, asynchronously: wait until the terminal event is in the stream.
    const published = await waitFor(
      () => statusMessages(run.id),
      (messages) => messages.filter(({ event }) => event.kind === 'transition').length >= 3,
      { what: 'the three transitions in the run-status stream' },
    );
    expect(published.filter(({ event }) => event.kind === 'transition')).toHaveLength(3);
    for (const { subject, data } of published) await stack.nats.js.publish(subject, data);

    await stack.start('notifier');
    const page = await waitFor(() => notifications(userId), (current) => current.items.length >= 3, { what: 'three notifications' });
    await waitFor(
      () => stack.nats.jsm.consumers.info(stack.nats.names.runStatusStream, 'notifier'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      { what: 'every status event handled' },
    );
    const final = await notifications(userId);
    expect(final.items.map((item) => item.status).sort()).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded].sort());
    expect(final.unreadCount).toBe(3);
    expect(page.items.map((item) => item.id).sort()).toEqual(final.items.map((item) => item.id).sort());
    const succeeded = final.items.find((item) => item.status === RunStatus.Succeeded)!;
    expect(succeeded).toMatchObject({
      userId,
      tenantId: CONTOSO.id,
      runId: run.id,
      runType: RunType.BackupSetCreate,
      title: 'Backup set capture finished',
      body: '2 of 2 items succeeded.',
      error: null,
      link: `${UI_BASE_URL}/tenants/${CONTOSO.id}/runs/${run.id}`,
      readAt: null,
    });
    const { rows } = await stack.database.pool.query(`SELECT count(*)::int AS count FROM notifier.notifications WHERE run_id = $1`, [run.id]);
    expect(rows[0].count).toBe(3);
  });

  it('carries the safe error summary of partial and failed runs, and never a secret that rode along in the error context', async () => {
    const userId = randomUUID();
    const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(randomUUID()).toString('base64url')}.c2lnbmF0dXJl`;

    const partial = await startRun(userId);
    await workerEvent('runStarted', partial.id, { plannedItems: 2 });
    await workerEvent('itemFinished', partial.id, { itemKey: 'policy:a', status: 'succeeded' });
    await workerEvent('itemFinished', partial.id, { itemKey: 'policy:b', status: 'failed', error: { code: SafeErrorCode.GraphThrottled, message: 'Throttled.', context: { requestId: token } } });
    await workerEvent('runFinished', partial.id, {
      outcome: 'completed',
      itemCount: 2,
      error: { code: SafeErrorCode.GraphThrottled, message: 'Microsoft Graph kept throttling some requests.', context: { requestId: token, retryAfterSeconds: 30 } },
    });
    await waitForStatus(partial.id, RunStatus.Partial);

    const failed = await startRun(userId);
    await workerEvent('runFinished', failed.id, {
      outcome: 'failed',
      itemCount: 0,
      error: { code: SafeErrorCode.GraphAuthFailed, message: 'Microsoft Graph refused the credentials.', context: { requestId: token, authorization: `Bearer ${token}` } },
    });
    await waitForStatus(failed.id, RunStatus.Failed);

    // The token did reach the status stream (as a whitelisted request id): the notifier must drop it.
    const failedEvents = await statusMessages(failed.id);
    expect(failedEvents.some(({ event }) => JSON.stringify(event).includes(token))).toBe(true);

    const page = await waitFor(
      () => notifications(userId),
      (current) => current.items.some((item) => item.status === RunStatus.Failed) && current.items.some((item) => item.status === RunStatus.Partial),
      { what: 'the partial and failed notifications' },
    );
    expect(page.items.find((item) => item.status === RunStatus.Partial)).toMatchObject({
      runId: partial.id,
      title: 'Backup set capture finished with errors',
      body: '1 of 2 items succeeded, 1 failed.',
      error: { code: SafeErrorCode.GraphThrottled, message: 'Microsoft Graph kept throttling some requests.' },
    });
    expect(page.items.find((item) => item.status === RunStatus.Failed)).toMatchObject({
      runId: failed.id,
      title: 'Backup set capture failed',
      error: { code: SafeErrorCode.GraphAuthFailed, message: 'Microsoft Graph refused the credentials.' },
    });
    for (const item of page.items) if (item.error) expect(Object.keys(item.error).sort()).toEqual(['code', 'message']);
    expect(JSON.stringify(page)).not.toContain(token);
    const { rows } = await stack.database.pool.query(`SELECT row_to_json(n)::text AS json FROM notifier.notifications n`);
    for (const row of rows) expect(row.json).not.toContain(token);
  });
});
