// Issue 6 end to end: gateway, run-service and notifier started for real (dist/), a worker played by
// the test (it publishes worker events to JetStream, as capture-worker would). Live progress (SSE)
// of real run-status events, resume with Last-Event-ID, cancel, and the initiator's notifications.
import { randomUUID } from 'node:crypto';
import { RunStatus, RunType, WorkerEventSubjects, workerEventSubject, type NotificationPage, type RunStatusEvent, type RunView } from '@policyvault/contracts';
import { CONTOSO, FABRIKAM, openSse, startStack, waitFor, type ReceivedEvent, type SseConnection, type Stack } from '@policyvault/testing';

describe('live progress, cancel and notifications (gateway + run-service + notifier processes)', () => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  const streams: SseConnection[] = [];

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'notifier', 'gateway'], env: { SSE_HEARTBEAT_MS: '1000' } });
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test']) tokens[email] = await stack.token(email);
  }, 90_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await stack?.close();
  });

  async function api<T = Record<string, unknown>>(method: string, path: string, email: string, body?: object): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[email]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  const startCapture = async (email = 'operator@contoso.test') => {
    const started = await api<{ run: RunView }>('post', `/api/tenants/${CONTOSO.id}/runs`, email, {
      type: RunType.PolicyCaptureSnapshot,
      target: { policyId: randomUUID() },
      scope: {},
    });
    expect(started.status).toBe(202);
    return started.body.run;
  };

  const worker = {
    publish: (kind: keyof typeof WorkerEventSubjects, event: object) =>
      stack.nats.js.publish(stack.nats.names.subject(workerEventSubject(WorkerEventSubjects[kind], 'capture-worker')), JSON.stringify({ tenantId: CONTOSO.id, occurredAt: new Date().toISOString(), ...event })),
    started: (runId: string, plannedItems: number) => worker.publish('runStarted', { runId, plannedItems }),
    item: (runId: string, itemKey: string) => worker.publish('itemFinished', { runId, itemKey, status: 'succeeded' }),
    finished: (runId: string, itemCount: number) => worker.publish('runFinished', { runId, outcome: 'completed', itemCount }),
  };

  const sse = async (path: string, email = 'reader@contoso.test', lastEventId?: string) => {
    const stream = await openSse(`${stack.gatewayUrl}${path}`, { token: tokens[email], lastEventId });
    streams.push(stream);
    return stream;
  };

  const progressOf = (events: ReceivedEvent[], runId: string) =>
    events
      .filter((event) => event.event === 'run-status')
      .map((event) => JSON.parse(event.data) as RunStatusEvent)
      .filter((event) => event.runId === runId)
      .map((event) => `${event.status}:${event.counts.succeeded}`);

  it("streams a run's transitions and rising counts to the tenant's live view, in order, ending with the terminal event", async () => {
    const stream = await sse(`/api/tenants/${CONTOSO.id}/runs/events`);
    await stream.waitFor((events) => events.length >= 1, 10_000, 'the snapshot');
    expect(stream.events[0].event).toBe('snapshot');

    const run = await startCapture();
    await worker.started(run.id, 3);
    for (const key of ['a', 'b', 'c']) await worker.item(run.id, key);
    await worker.finished(run.id, 3);

    const events = await stream.waitFor((received) => progressOf(received, run.id).includes('succeeded:3'), 20_000, 'the terminal event');
    expect(progressOf(events, run.id)).toEqual(['queued:0', 'running:0', 'running:1', 'running:2', 'running:3', 'succeeded:3']);
    const ids = events.slice(1).map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('replays what a client missed when it reconnects with Last-Event-ID (one run)', async () => {
    const run = await startCapture();
    const path = `/api/tenants/${CONTOSO.id}/runs/${run.id}/events`;
    const first = await sse(path);
    await first.waitFor((events) => events.length >= 1, 10_000, 'the snapshot');
    expect(JSON.parse(first.events[0].data).runs.map((view: RunView) => view.id)).toEqual([run.id]);
    await worker.started(run.id, 2);
    await worker.item(run.id, 'a');
    const seen = await first.waitFor((events) => progressOf(events, run.id).includes('running:1'), 20_000, 'the first item');
    first.close();

    await worker.item(run.id, 'b');
    await worker.finished(run.id, 2);
    await waitFor(
      () => api<RunView>('get', `/api/tenants/${CONTOSO.id}/runs/${run.id}`, 'reader@contoso.test'),
      (response) => response.body.status === RunStatus.Succeeded,
      { what: 'the run to succeed' },
    );
    const resumed = await sse(path, 'reader@contoso.test', seen[seen.length - 1].id);
    const replayed = await resumed.waitFor((events) => progressOf(events, run.id).includes('succeeded:2'), 20_000, 'the replayed terminal event');
    expect(replayed[0].event).toBe('run-status');
    expect(progressOf(replayed, run.id)).toEqual(['running:2', 'succeeded:2']);
  });

  it("checks authorization when a stream opens: 401 without a token, 403 for another tenant and its runs, 404 for a run that does not exist", async () => {
    const anonymous = await openSse(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/runs/events`);
    expect(anonymous.status).toBe(401);
    expect((await sse(`/api/tenants/${CONTOSO.id}/runs/events`, 'owner@fabrikam.test')).status).toBe(403);
    const run = await startCapture();
    expect((await sse(`/api/tenants/${CONTOSO.id}/runs/${run.id}/events`, 'owner@fabrikam.test')).status).toBe(403);
    expect((await sse(`/api/tenants/${FABRIKAM.id}/runs/${run.id}/events`, 'owner@fabrikam.test')).status).toBe(403);
    expect((await sse(`/api/tenants/${FABRIKAM.id}/runs/${randomUUID()}/events`, 'owner@fabrikam.test')).status).toBe(404);
  });

  describe('cancel', () => {
    const cancel = (runId: string, email: string) => api<RunView>('post', `/api/tenants/${CONTOSO.id}/runs/${runId}/cancel`, email);

    it('cancels a queued run at once (200, canceled); a second cancel is a 409', async () => {
      const run = await startCapture();
      const canceled = await cancel(run.id, 'operator@contoso.test');
      expect(canceled).toMatchObject({ status: 200, body: { id: run.id, status: 'canceled', cancelRequested: true } });
      expect((await cancel(run.id, 'operator@contoso.test')).status).toBe(409);
    });

    it('marks a running run cancel-requested (200, still running)', async () => {
      const run = await startCapture();
      await worker.started(run.id, 5);
      await waitFor(() => api<RunView>('get', `/api/tenants/${CONTOSO.id}/runs/${run.id}`, 'reader@contoso.test'), (response) => response.body.status === RunStatus.Running);
      expect(await cancel(run.id, 'owner@contoso.test')).toMatchObject({ status: 200, body: { status: 'running', cancelRequested: true } });
    });

    it("refuses a reader (403), an operator canceling another user's run (403), another tenant (403), an unknown run (404)", async () => {
      const ownersRun = await startCapture('owner@contoso.test');
      expect((await cancel(ownersRun.id, 'reader@contoso.test')).status).toBe(403);
      expect(await cancel(ownersRun.id, 'operator@contoso.test')).toMatchObject({ status: 403, body: { message: expect.stringMatching(/only the user who started the run or a tenant owner/) } });
      expect((await cancel(ownersRun.id, 'owner@fabrikam.test')).status).toBe(403);
      expect((await cancel(randomUUID(), 'owner@contoso.test')).status).toBe(404);
      expect((await api<RunView>('get', `/api/tenants/${CONTOSO.id}/runs/${ownersRun.id}`, 'reader@contoso.test')).body.status).toBe('queued');
    });
  });

  it("notifies the run's initiator (not others); marks read; another user's notification is a 404, another tenant's a 403", async () => {
    const run = await startCapture('operator@contoso.test');
    await worker.started(run.id, 1);
    await worker.item(run.id, 'a');
    await worker.finished(run.id, 1);
    const page = await waitFor(
      () => api<NotificationPage>('get', `/api/notifications?tenantId=${CONTOSO.id}`, 'operator@contoso.test'),
      (response) => response.body.items?.some((item) => item.runId === run.id && item.status === RunStatus.Succeeded),
      { timeoutMs: 20_000, what: 'the succeeded notification' },
    );
    const mine = page.body.items.filter((item) => item.runId === run.id);
    expect(mine.map((item) => item.status)).toEqual(expect.arrayContaining([RunStatus.Succeeded]));
    expect(page.body.unreadCount).toBeGreaterThanOrEqual(mine.length);
    const others = await api<NotificationPage>('get', '/api/notifications', 'reader@contoso.test');
    expect(others.body.items.filter((item) => item.runId === run.id)).toEqual([]);

    const target = mine[0];
    expect((await api('post', `/api/notifications/${target.id}/read`, 'owner@fabrikam.test')).status).toBe(403);
    expect((await api('post', `/api/notifications/${target.id}/read`, 'reader@contoso.test')).status).toBe(404);
    const read = await api<{ readAt: string | null }>('post', `/api/notifications/${target.id}/read`, 'operator@contoso.test');
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    const all = await api<{ unreadCount: number }>('post', '/api/notifications/read-all', 'operator@contoso.test');
    expect(all).toMatchObject({ status: 200, body: { unreadCount: 0 } });
    const unread = await api<NotificationPage>('get', '/api/notifications?unreadOnly=true', 'operator@contoso.test');
    expect(unread.body).toMatchObject({ items: [], unreadCount: 0 });
  });
});
