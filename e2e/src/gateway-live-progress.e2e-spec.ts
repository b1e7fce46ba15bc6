// Issue 6 end to end: gateway, run-service and notifier started for real (dist/), a worker played by
// the test (it publishes worker events to JetStream, as capture-worker would). Live progress (SSE)
// of real run-status events, resume with Last-Event-ID, cancel, and the initiator's notifications; the one
// stream of a user for every tenant they see (GET /api/runs/events).
import { randomUUID } from 'node:crypto';
import { RunStatus, RunType, TenantRole, WorkerEventSubjects, workerEventSubject, type NotificationPage, type RunStatusEvent, type RunView } from '@policyvault/contracts';
import { CONTOSO, FABRIKAM, openSse, startStack, waitFor, type ReceivedEvent, type SseConnection, type Stack } from '@policyvault/testing';

describe('live progress, cancel and notifications (gateway + run-service + notifier processes)', () => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  const streams: SseConnection[] = [];

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'notifier', 'gateway'], env: { SSE_HEARTBEAT_MS: '1000' } });
    for (const email of ['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test', 'admin@msp.test']) {
      tokens[email] = await stack.token(email);
    }
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

  const startCapture = async (email = 'operator@contoso.test', tenantId = CONTOSO.id) => {
    const started = await api<{ run: RunView }>('post', `/api/tenants/${tenantId}/runs`, email, {
      type: RunType.PolicyCaptureSnapshot,
      target: { policyId: randomUUID() },
      scope: {},
    });
    expect(started.status).toBe(202);
    return started.body.run;
  };

  /** capture-worker's events for runs of one tenant. */
  const workerIn = (tenantId: string) => {
    const publish = (kind: keyof typeof WorkerEventSubjects, event: object) =>
      stack.nats.js.publish(stack.nats.names.subject(workerEventSubject(WorkerEventSubjects[kind], 'capture-worker')), JSON.stringify({ tenantId, occurredAt: new Date().toISOString(), ...event }));
    return {
      started: (runId: string, plannedItems: number) => publish('runStarted', { runId, plannedItems }),
      item: (runId: string, itemKey: string) => publish('itemFinished', { runId, itemKey, status: 'succeeded' }),
      finished: (runId: string, itemCount: number) => publish('runFinished', { runId, outcome: 'completed', itemCount }),
    };
  };
  const worker = workerIn(CONTOSO.id);

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
    // Item events that reach run-service together are applied as one batch with one progress event: each item
    // is sent once the previous one's progress is out, so every count is seen.
    for (const [index, key] of ['a', 'b', 'c'].entries()) {
      await worker.item(run.id, key);
      await stream.waitFor((received) => progressOf(received, run.id).includes(`running:${index + 1}`), 20_000, `item ${key}`);
    }
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

  describe('one stream for every tenant the user sees (GET /api/runs/events)', () => {
    const USER_EVENTS = '/api/runs/events';
    const fabrikamWorker = workerIn(FABRIKAM.id);
    /** operator@contoso.test, made a reader of Fabrikam too: a member of two tenants. */
    let operatorId: string;

    beforeAll(async () => {
      const added = await api<{ userId: string }>('post', `/api/tenants/${FABRIKAM.id}/members`, 'owner@fabrikam.test', { email: 'operator@contoso.test', role: TenantRole.Reader });
      expect(added.status).toBe(201);
      operatorId = added.body.userId;
    });

    const runEvents = (events: ReceivedEvent[]) => events.filter((event) => event.event === 'run-status').map((event) => JSON.parse(event.data) as RunStatusEvent);
    const followed = (events: ReceivedEvent[]) => events.filter((event) => event.event === 'tenants').map((event) => (JSON.parse(event.data) as { tenantIds: string[] }).tenantIds.sort());
    const opened = (stream: SseConnection) => stream.waitFor((events) => events.some((event) => event.event === 'snapshot'), 10_000, 'the snapshot');
    const BOTH = [CONTOSO.id, FABRIKAM.id].sort();

    /**
     * A capture run through its whole life: started, one item, finished. The end is reported once `observer` (a
     * stream that sees the run) has the item's progress. With the end sent right behind the item, the item's
     * progress once reached the stream after the run's end (CI, stop 40), and a live view rightly drops it as behind
     * the end it already has (RunProgressOrder); these tests are about which events reach which stream, not that race.
     */
    async function runToTheEnd(run: RunView, tenantWorker: ReturnType<typeof workerIn>, observer: SseConnection): Promise<void> {
      await tenantWorker.started(run.id, 1);
      await tenantWorker.item(run.id, 'a');
      await observer.waitFor((events) => progressOf(events, run.id).includes('running:1'), 20_000, `the item of run ${run.id}`);
      await tenantWorker.finished(run.id, 1);
    }

    it("streams both tenants' runs to a member of two, each event naming its tenant, and nothing of a tenant a user cannot see", async () => {
      const member = await sse(USER_EVENTS, 'operator@contoso.test');
      const contosoOnly = await sse(USER_EVENTS, 'reader@contoso.test');
      await Promise.all([opened(member), opened(contosoOnly)]);
      // First on every connection: the tenants it follows, as an event without an id (not a position in the stream).
      expect(member.events[0].event).toBe('tenants');
      expect(member.events[0].id).toBeUndefined();
      expect(followed(member.events)).toEqual([BOTH]);
      expect(followed(contosoOnly.events)).toEqual([[CONTOSO.id]]);

      const fabrikamRun = await startCapture('owner@fabrikam.test', FABRIKAM.id);
      await runToTheEnd(fabrikamRun, fabrikamWorker, member);
      await member.waitFor((events) => progressOf(events, fabrikamRun.id).includes('succeeded:1'), 20_000, "Fabrikam's terminal event");
      // Every event of Fabrikam's run is now before the next ones in the stream: a stream that skips them skips them for good.
      const contosoRun = await startCapture();
      await runToTheEnd(contosoRun, worker, member);

      const events = await member.waitFor((received) => progressOf(received, contosoRun.id).includes('succeeded:1'), 20_000, "Contoso's terminal event");
      expect(progressOf(events, fabrikamRun.id)).toEqual(['queued:0', 'running:0', 'running:1', 'succeeded:1']);
      expect(progressOf(events, contosoRun.id)).toEqual(['queued:0', 'running:0', 'running:1', 'succeeded:1']);
      expect(new Set(runEvents(events).filter((event) => event.runId === fabrikamRun.id).map((event) => event.tenantId))).toEqual(new Set([FABRIKAM.id]));
      expect(new Set(runEvents(events).filter((event) => event.runId === contosoRun.id).map((event) => event.tenantId))).toEqual(new Set([CONTOSO.id]));
      const ids = events.filter((event) => event.id !== undefined).map((event) => Number(event.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const seen = await contosoOnly.waitFor((received) => progressOf(received, contosoRun.id).includes('succeeded:1'), 20_000, "Contoso's terminal event");
      expect(progressOf(seen, contosoRun.id)).toEqual(['queued:0', 'running:0', 'running:1', 'succeeded:1']);
      expect(runEvents(seen).filter((event) => event.tenantId !== CONTOSO.id)).toEqual([]);
    });

    it('gives an administrator every tenant: one snapshot of the active runs of all of them, then their events', async () => {
      const contosoRun = await startCapture();
      const fabrikamRun = await startCapture('owner@fabrikam.test', FABRIKAM.id);
      await waitFor(
        () => api<RunView>('get', `/api/tenants/${FABRIKAM.id}/runs/${fabrikamRun.id}`, 'admin@msp.test'),
        (response) => response.body.status === RunStatus.Queued,
        { what: 'the Fabrikam run' },
      );
      const admin = await sse(USER_EVENTS, 'admin@msp.test');
      const events = await opened(admin);
      expect(followed(events)[0]).toEqual(expect.arrayContaining(BOTH));
      const snapshot = JSON.parse(events.find((event) => event.event === 'snapshot')!.data) as { runs: RunView[]; truncated: boolean };
      expect(snapshot.truncated).toBe(false);
      expect(snapshot.runs.map((run) => `${run.id}@${run.tenantId}`)).toEqual(expect.arrayContaining([`${contosoRun.id}@${CONTOSO.id}`, `${fabrikamRun.id}@${FABRIKAM.id}`]));
      expect(snapshot.runs.every((run) => run.status === RunStatus.Queued || run.status === RunStatus.Running)).toBe(true);

      await worker.started(contosoRun.id, 2);
      await fabrikamWorker.started(fabrikamRun.id, 2);
      const live = await admin.waitFor(
        (received) => progressOf(received, contosoRun.id).includes('running:0') && progressOf(received, fabrikamRun.id).includes('running:0'),
        20_000,
        'both runs running',
      );
      expect(runEvents(live).find((event) => event.runId === fabrikamRun.id)?.tenantId).toBe(FABRIKAM.id);
    });

    it('resumes with Last-Event-ID: replays what it missed of every tenant it follows, without a snapshot', async () => {
      const first = await sse(USER_EVENTS, 'operator@contoso.test');
      const fabrikamOwner = await sse(USER_EVENTS, 'owner@fabrikam.test');
      await Promise.all([opened(first), opened(fabrikamOwner)]);
      const contosoRun = await startCapture();
      const fabrikamRun = await startCapture('owner@fabrikam.test', FABRIKAM.id);
      await worker.started(contosoRun.id, 2);
      const seen = await first.waitFor(
        (received) => progressOf(received, contosoRun.id).includes('running:0') && progressOf(received, fabrikamRun.id).includes('queued:0'),
        20_000,
        'both runs',
      );
      first.close();
      const lastId = [...seen].reverse().find((event) => event.id !== undefined)!.id!;

      await worker.item(contosoRun.id, 'a');
      await runToTheEnd(fabrikamRun, fabrikamWorker, fabrikamOwner);
      await waitFor(
        () => api<RunView>('get', `/api/tenants/${CONTOSO.id}/runs/${contosoRun.id}`, 'operator@contoso.test'),
        (response) => response.body.counts.succeeded === 1,
        { what: 'the Contoso item' },
      );
      const resumed = await sse(USER_EVENTS, 'operator@contoso.test', lastId);
      const replayed = await resumed.waitFor(
        (received) => progressOf(received, contosoRun.id).includes('running:1') && progressOf(received, fabrikamRun.id).includes('succeeded:1'),
        20_000,
        'the missed events of both tenants',
      );
      expect(replayed[0].event).toBe('tenants');
      expect(replayed.some((event) => event.event === 'snapshot')).toBe(false);
      expect(progressOf(replayed, contosoRun.id)).toEqual(['running:1']);
      expect(progressOf(replayed, fabrikamRun.id)).toEqual(['running:0', 'running:1', 'succeeded:1']);
      expect(replayed.filter((event) => event.id !== undefined).every((event) => Number(event.id) > Number(lastId))).toBe(true);
    });

    it('stops the events of a tenant whose membership is revoked, and tells the client which tenants it follows now', async () => {
      const member = await sse(USER_EVENTS, 'operator@contoso.test');
      await opened(member);
      expect(followed(member.events)).toEqual([BOTH]);
      const fabrikamOwner = await sse(USER_EVENTS, 'owner@fabrikam.test');
      await opened(fabrikamOwner);

      expect((await api('delete', `/api/tenants/${FABRIKAM.id}/members/${operatorId}`, 'owner@fabrikam.test')).status).toBe(204);
      // Checked again at the next heartbeat (1 s here).
      await member.waitFor((events) => followed(events).length === 2, 10_000, 'a second tenants event');
      expect(followed(member.events)).toEqual([BOTH, [CONTOSO.id]]);
      const revokedAt = member.events.length;

      const fabrikamRun = await startCapture('owner@fabrikam.test', FABRIKAM.id);
      await runToTheEnd(fabrikamRun, fabrikamWorker, fabrikamOwner);
      await fabrikamOwner.waitFor((events) => progressOf(events, fabrikamRun.id).includes('succeeded:1'), 20_000, "Fabrikam's terminal event");
      const contosoRun = await startCapture();
      await runToTheEnd(contosoRun, worker, member);
      const events = await member.waitFor((received) => progressOf(received, contosoRun.id).includes('succeeded:1'), 20_000, "Contoso's terminal event");
      expect(runEvents(events.slice(revokedAt)).filter((event) => event.tenantId !== CONTOSO.id)).toEqual([]);
      expect(progressOf(events, fabrikamRun.id)).toEqual([]);
      expect(member.isEnded()).toBe(false);
    });
  });
});
