// Live progress (SSE) with the gateway in-process, real NATS JetStream (run-status events published
// straight to the stream, as run-service's relay does) and a stand-in run-service for the snapshot.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DEMO_TENANTS, MAX_ACTIVE_RUNS, RpcErrorCode, RunRpc, RunStatus, RunStatusEventKind, RunType, type RunStatusEvent } from '@policyvault/contracts';
import { openSse, waitFor, type ReceivedEvent, type SseConnection } from '@policyvault/testing';
import { LiveProgressService } from '../src/live-progress/live-progress.service.js';
import { startFakeRpcServer, type FakeRpcServer } from './fake-rpc-server.js';
import { startGatewayInProcess, tokenFor, type GatewayFixture } from './gateway.fixture.js';
import { runView } from './views.js';

const [contoso, fabrikam] = DEMO_TENANTS;
const RUNNING_RUN = '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b';
const RUNNING_VIEW = runView({ id: RUNNING_RUN, tenantId: contoso.id, status: RunStatus.Running, counts: { total: 10, succeeded: 5, failed: 0, skipped: 0 } });

describe('gateway live progress (SSE; in-process, real JetStream, stand-in run-service)', () => {
  let gateway: GatewayFixture;
  let runService: FakeRpcServer;
  let baseUrl: string;
  const tokens: Record<string, string> = {};
  const open: SseConnection[] = [];

  beforeAll(async () => {
    gateway = await startGatewayInProcess({ SSE_HEARTBEAT_MS: '300', SSE_MAX_BUFFERED_BYTES: '262144', SSE_DRAIN_TIMEOUT_MS: '500' });
    await new Promise<void>((resolve) => gateway.http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(gateway.http.address() as AddressInfo).port}`;
    runService = await startFakeRpcServer(gateway.nats.namespace, 'run-service', Object.values(RunRpc));
    for (const email of ['reader@contoso.test', 'owner@fabrikam.test', 'admin@msp.test']) tokens[email] = await tokenFor(email);
  });

  afterAll(async () => {
    for (const connection of open) connection.close();
    await runService?.close();
    await gateway?.close();
  });

  beforeEach(() => {
    runService.state.reset();
    runService.state.answer(RunRpc.activeRuns, {
      replyTo: (payload) => ({ runs: (payload.tenantIds as string[]).includes(contoso.id) ? [RUNNING_VIEW] : [], truncated: false }),
    });
  });

  afterEach(() => {
    for (const connection of open.splice(0)) connection.close();
  });

  /** JetStream consumers on the run-status stream (the gateway's shared one, and any catch-up of a resume). */
  const consumers = async () => (await gateway.nats.jsm.consumers.list(gateway.nats.names.runStatusStream).next()).length;
  const openStreams = () => gateway.app.get(LiveProgressService).openStreams;

  const tenantEvents = (tenantId = contoso.id) => `${baseUrl}/api/tenants/${tenantId}/runs/events`;
  const connect = async (url: string, options: Parameters<typeof openSse>[1] = {}) => {
    const connection = await openSse(url, { token: tokens['reader@contoso.test'], ...options });
    open.push(connection);
    return connection;
  };

  function statusEvent(runId: string, status: RunStatus, finished: number, overrides: Partial<RunStatusEvent> = {}): RunStatusEvent {
    return {
      eventId: randomUUID(),
      kind: RunStatusEventKind.Progress,
      runId,
      tenantId: contoso.id,
      type: RunType.BackupSetCreate,
      status,
      cancelRequested: false,
      counts: { total: 10, succeeded: finished, failed: 0, skipped: 0 },
      initiator: { userId: randomUUID(), email: 'operator@contoso.test' },
      occurredAt: new Date().toISOString(),
      ...overrides,
    };
  }

  // As run-service does: transitions on the status subject, progress on the progress subject.
  const subjectOf = (event: RunStatusEvent) =>
    event.kind === RunStatusEventKind.Transition ? gateway.nats.names.runStatusSubject(event.tenantId) : gateway.nats.names.runProgressSubject(event.tenantId);

  async function publish(...events: RunStatusEvent[]): Promise<number[]> {
    const sequences: number[] = [];
    for (const event of events) {
      const ack = await gateway.nats.js.publish(subjectOf(event), JSON.stringify(event));
      sequences.push(ack.seq);
    }
    return sequences;
  }

  const statusesOf = (events: ReceivedEvent[]) =>
    events.filter((event) => event.event === 'run-status').map((event) => {
      const data = JSON.parse(event.data) as RunStatusEvent;
      return `${data.status}:${data.counts.succeeded}`;
    });

  it('opens with a snapshot of the active runs, then streams every later event of the tenant in order (not before, not other tenants\')', async () => {
    const runId = randomUUID();
    const [before] = await publish(statusEvent(runId, RunStatus.Queued, 0));
    const stream = await connect(tenantEvents());
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.waitFor((events) => events.length >= 1, 5000, 'the snapshot');
    expect(stream.events[0]).toMatchObject({ event: 'snapshot', id: String(before) });
    expect(JSON.parse(stream.events[0].data).runs.map((run: { id: string }) => run.id)).toEqual([RUNNING_RUN]);
    expect(runService.state.calls).toEqual([{ pattern: RunRpc.activeRuns, payload: { tenantIds: [contoso.id], limit: MAX_ACTIVE_RUNS } }]);

    const sequences = await publish(
      statusEvent(runId, RunStatus.Running, 1),
      statusEvent(randomUUID(), RunStatus.Running, 1, { tenantId: fabrikam.id }),
      statusEvent(runId, RunStatus.Running, 2),
      statusEvent(runId, RunStatus.Succeeded, 10, { kind: RunStatusEventKind.Transition }),
    );
    const events = await stream.waitFor((received) => statusesOf(received).includes('succeeded:10'), 5000, 'the terminal event');
    expect(statusesOf(events)).toEqual(['running:1', 'running:2', 'succeeded:10']);
    expect(events.slice(1).map((event) => Number(event.id))).toEqual([sequences[0], sequences[2], sequences[3]]);
    expect(JSON.parse(events[3].data)).toMatchObject({ runId, tenantId: contoso.id, counts: { succeeded: 10 } });
  });

  it('drops an event that is behind what the connection already sent for its run (relay replicas out of order), and repeats', async () => {
    const runId = randomUUID();
    const stream = await connect(tenantEvents());
    await stream.waitFor((events) => events.length >= 1, 5000, 'the snapshot');
    const repeated = statusEvent(runId, RunStatus.Running, 3);
    await publish(
      statusEvent(runId, RunStatus.Running, 0, { kind: RunStatusEventKind.Transition }),
      repeated,
      statusEvent(runId, RunStatus.Running, 2),
      statusEvent(runId, RunStatus.Queued, 0, { kind: RunStatusEventKind.Transition }),
      repeated,
      statusEvent(runId, RunStatus.Running, 4),
      statusEvent(runId, RunStatus.Failed, 4, { kind: RunStatusEventKind.Transition }),
      statusEvent(runId, RunStatus.Running, 5),
    );
    await stream.waitFor((events) => statusesOf(events).includes('failed:4'), 5000, 'the terminal event');
    await publish(statusEvent(RUNNING_RUN, RunStatus.Running, 4)); // behind the snapshot's picture of that run (5): dropped
    const marker = randomUUID();
    await publish(statusEvent(marker, RunStatus.Queued, 0));
    const events = await stream.waitFor((received) => received.some((event) => event.data.includes(marker)), 5000, 'the marker');
    expect(statusesOf(events)).toEqual(['running:0', 'running:3', 'running:4', 'failed:4', 'queued:0']);
  });

  it('replays what a reconnecting client missed, from Last-Event-ID, without a snapshot', async () => {
    const runId = randomUUID();
    const first = await connect(tenantEvents());
    await first.waitFor((events) => events.length >= 1, 5000, 'the snapshot');
    await publish(statusEvent(runId, RunStatus.Running, 1));
    const seen = await first.waitFor((events) => events.length >= 2, 5000, 'the first event');
    const lastId = seen[seen.length - 1].id!;
    first.close();

    await publish(statusEvent(runId, RunStatus.Running, 2), statusEvent(runId, RunStatus.Running, 3));
    const resumed = await connect(tenantEvents(), { lastEventId: lastId });
    await publish(statusEvent(runId, RunStatus.Partial, 9, { kind: RunStatusEventKind.Transition }));
    const events = await resumed.waitFor((received) => statusesOf(received).includes('partial:9'), 5000, 'the terminal event');
    expect(events.map((event) => event.event)).toEqual(['run-status', 'run-status', 'run-status']);
    expect(statusesOf(events)).toEqual(['running:2', 'running:3', 'partial:9']);
    expect(Number(events[0].id)).toBe(Number(lastId) + 1);

    const fromAnotherStream = await connect(tenantEvents(), { lastEventId: '999999999' });
    await fromAnotherStream.waitFor((received) => received.length >= 1, 5000, 'a snapshot');
    expect(fromAnotherStream.events[0].event).toBe('snapshot');
  });

  it('follows one run: its snapshot, then only its events; 404 for a run not in the tenant', async () => {
    const runId = randomUUID();
    runService.state.answer(RunRpc.get, { reply: runView({ id: runId, tenantId: contoso.id, status: RunStatus.Queued }) });
    const stream = await connect(`${tenantEvents().replace('/events', '')}/${runId}/events`);
    await stream.waitFor((events) => events.length >= 1, 5000, 'the snapshot');
    expect(JSON.parse(stream.events[0].data)).toEqual({ runs: [runView({ id: runId, tenantId: contoso.id, status: RunStatus.Queued })], truncated: false });
    expect(runService.state.calls).toEqual([{ pattern: RunRpc.get, payload: { tenantId: contoso.id, runId } }]);
    await publish(statusEvent(randomUUID(), RunStatus.Running, 1), statusEvent(runId, RunStatus.Running, 1), statusEvent(runId, RunStatus.Canceled, 1));
    const events = await stream.waitFor((received) => statusesOf(received).includes('canceled:1'), 5000, 'the terminal event');
    expect(statusesOf(events)).toEqual(['running:1', 'canceled:1']);
    await stream.ended;

    runService.state.answer(RunRpc.get, { error: { code: RpcErrorCode.NotFound, message: 'run not found' } });
    const missing = await connect(`${baseUrl}/api/tenants/${contoso.id}/runs/${randomUUID()}/events`);
    expect(missing).toMatchObject({ status: 404, errorBody: { message: 'run not found in this tenant' } });
  });

  it("ends a run's stream once the client has its end; a reconnect then answers 204 unless part of the end was missed", async () => {
    const runId = randomUUID();
    const runPath = `${baseUrl}/api/tenants/${contoso.id}/runs/${runId}/events`;
    runService.state.answer(RunRpc.get, { reply: runView({ id: runId, tenantId: contoso.id, status: RunStatus.Running }) });
    const [runningSeq] = await publish(statusEvent(runId, RunStatus.Running, 1));
    const live = await connect(runPath);
    await live.waitFor((events) => events.length >= 1, 5000, 'the snapshot');
    const [, terminalSeq] = await publish(statusEvent(runId, RunStatus.Running, 2), statusEvent(runId, RunStatus.Succeeded, 10, { kind: RunStatusEventKind.Transition }));
    await live.ended;
    expect(statusesOf(live.events)).toEqual(['running:2', 'succeeded:10']);

    // From now on run-service says the run has ended.
    runService.state.answer(RunRpc.get, { reply: runView({ id: runId, tenantId: contoso.id, status: RunStatus.Succeeded }) });
    await publish(statusEvent(randomUUID(), RunStatus.Running, 1)); // another run's event after the end: not a reason to replay
    const afterEnd = await connect(runPath, { lastEventId: String(terminalSeq) });
    expect(afterEnd.status).toBe(204);

    const missedTheEnd = await connect(runPath, { lastEventId: String(runningSeq) });
    expect(missedTheEnd.status).toBe(200);
    await missedTheEnd.ended;
    expect(statusesOf(missedTheEnd.events)).toEqual(['running:2', 'succeeded:10']);

    const opensAfterTheEnd = await connect(runPath);
    await opensAfterTheEnd.ended;
    expect(opensAfterTheEnd.events.map((event) => event.event)).toEqual(['snapshot']);
    expect(JSON.parse(opensAfterTheEnd.events[0].data).runs[0].status).toBe('succeeded');
    expect((await connect(runPath, { lastEventId: opensAfterTheEnd.events[0].id })).status).toBe(204);
  });

  it("waits for the terminal event of an ended run when the client's last event was one of its non-terminal ones", async () => {
    const runId = randomUUID();
    const runPath = `${baseUrl}/api/tenants/${contoso.id}/runs/${runId}/events`;
    const [runningSeq] = await publish(statusEvent(runId, RunStatus.Running, 3));
    // Ended in run-service's database; its relay has not put the terminal event on the stream yet.
    runService.state.answer(RunRpc.get, { reply: runView({ id: runId, tenantId: contoso.id, status: RunStatus.Failed }) });
    const stream = await connect(runPath, { lastEventId: String(runningSeq) });
    expect(stream.status).toBe(200);
    await publish(statusEvent(runId, RunStatus.Failed, 3, { kind: RunStatusEventKind.Transition }));
    await stream.ended;
    expect(statusesOf(stream.events)).toEqual(['failed:3']);
  });

  it('checks authorization and input when the stream opens, before any event', async () => {
    expect((await connect(tenantEvents(), { token: '' })).status).toBe(401);
    const otherTenant = await connect(tenantEvents(), { token: tokens['owner@fabrikam.test'] });
    expect(otherTenant).toMatchObject({ status: 403, errorBody: { message: 'you are not a member of this tenant' } });
    expect((await connect(`${baseUrl}/api/tenants/${contoso.id}/runs/${RUNNING_RUN}/events`, { token: tokens['owner@fabrikam.test'] })).status).toBe(403);
    expect(await connect(tenantEvents(), { lastEventId: 'latest' })).toMatchObject({ status: 400, errorBody: { message: expect.stringMatching(/^Last-Event-ID: /) } });
    expect(await connect(`${tenantEvents()}?since=1`)).toMatchObject({ status: 400, errorBody: { message: ['since: property since should not exist'] } });
    expect(runService.state.calls).toEqual([]);
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const stream = await connect(tenantEvents());
    await waitFor(async () => stream.comments.length, (count) => count >= 2, { timeoutMs: 5000, what: 'heartbeats' });
    expect(stream.comments[0]).toBe('heartbeat');
  });

  it('serves every connection of a tenant from ONE consumer of the gateway: each event reaches all of them, and the right runs', async () => {
    const runId = randomUUID();
    runService.state.answer(RunRpc.get, { reply: runView({ id: runId, tenantId: contoso.id, status: RunStatus.Running }) });
    const tenantStreams = await Promise.all(Array.from({ length: 8 }, () => connect(tenantEvents())));
    const runStreams = await Promise.all(Array.from({ length: 3 }, () => connect(`${tenantEvents().replace('/events', '')}/${runId}/events`)));
    const fabrikamStream = await connect(tenantEvents(fabrikam.id), { token: tokens['owner@fabrikam.test'] });
    const all = [...tenantStreams, ...runStreams, fabrikamStream];
    await Promise.all(all.map((stream) => stream.waitFor((events) => events.length >= 1, 5000, 'the snapshot')));
    expect(await consumers()).toBe(1);

    const otherRun = randomUUID();
    const sequences = await publish(
      statusEvent(runId, RunStatus.Running, 1),
      statusEvent(otherRun, RunStatus.Running, 1),
      statusEvent(randomUUID(), RunStatus.Running, 1, { tenantId: fabrikam.id }),
      statusEvent(runId, RunStatus.Running, 2),
      statusEvent(otherRun, RunStatus.Succeeded, 10, { kind: RunStatusEventKind.Transition }),
      statusEvent(runId, RunStatus.Succeeded, 10, { kind: RunStatusEventKind.Transition }),
    );
    for (const stream of tenantStreams) {
      const events = await stream.waitFor((received) => received.some((event) => event.id === String(sequences[5])), 5000, 'the last event');
      expect(events.slice(1).map((event) => Number(event.id))).toEqual([sequences[0], sequences[1], sequences[3], sequences[4], sequences[5]]);
    }
    for (const stream of runStreams) {
      await stream.ended;
      expect(statusesOf(stream.events)).toEqual(['running:1', 'running:2', 'succeeded:10']);
    }
    const fabrikamEvents = await fabrikamStream.waitFor((received) => received.length >= 2, 5000, "Fabrikam's event");
    expect(fabrikamEvents.slice(1).map((event) => Number(event.id))).toEqual([sequences[2]]);
    expect(await consumers()).toBe(1);
  });

  it("serves users' streams of every tenant they see from the same ONE consumer: each gets its tenants' events, no other's", async () => {
    const adminStreams = await Promise.all(Array.from({ length: 5 }, () => connect(`${baseUrl}/api/runs/events`, { token: tokens['admin@msp.test'] })));
    const readerStream = await connect(`${baseUrl}/api/runs/events`);
    const tenantStream = await connect(tenantEvents());
    const all = [...adminStreams, readerStream, tenantStream];
    await Promise.all(all.map((stream) => stream.waitFor((events) => events.some((event) => event.event === 'snapshot'), 5000, 'the snapshot')));
    expect(await consumers()).toBe(1);
    expect(JSON.parse(readerStream.events[0].data)).toEqual({ tenantIds: [contoso.id] });
    expect(JSON.parse(adminStreams[0].events[0].data).tenantIds).toEqual(expect.arrayContaining([contoso.id, fabrikam.id]));
    // One snapshot request per stream, for all its tenants.
    expect(runService.state.calls.filter((call) => (call.payload.tenantIds as string[]).includes(fabrikam.id))).toHaveLength(adminStreams.length);

    const sequences = await publish(
      statusEvent(randomUUID(), RunStatus.Running, 1),
      statusEvent(randomUUID(), RunStatus.Running, 1, { tenantId: fabrikam.id }),
      statusEvent(randomUUID(), RunStatus.Running, 2),
    );
    for (const stream of adminStreams) {
      const events = await stream.waitFor((received) => received.some((event) => event.id === String(sequences[2])), 5000, 'the last event');
      expect(events.filter((event) => event.event === 'run-status').map((event) => Number(event.id))).toEqual(sequences);
    }
    const readerEvents = await readerStream.waitFor((received) => received.some((event) => event.id === String(sequences[2])), 5000, 'the last event');
    expect(readerEvents.filter((event) => event.event === 'run-status').map((event) => Number(event.id))).toEqual([sequences[0], sequences[2]]);
    expect(await consumers()).toBe(1);
  });

  it('replays a resume through a catch-up consumer of its own that goes away once it reaches the live edge', async () => {
    const runId = randomUUID();
    const sequences = await publish(...Array.from({ length: 50 }, (_, index) => statusEvent(runId, RunStatus.Running, index + 1)));
    const resumed = await connect(tenantEvents(), { lastEventId: String(sequences[0] - 1) });
    const live = await publish(statusEvent(runId, RunStatus.Running, 51), statusEvent(runId, RunStatus.Running, 52));
    const events = await resumed.waitFor((received) => statusesOf(received).includes('running:52'), 5000, 'the live events');
    expect(events.map((event) => Number(event.id))).toEqual([...sequences, ...live]);
    await waitFor(consumers, (count) => count === 1, { timeoutMs: 5000, what: 'the catch-up consumer to be deleted' });
  });

  it('does not let a stalled client delay another; drops the stalled one; the shared consumer stays', async () => {
    const stalled = await connect(tenantEvents(), { stalled: true });
    const healthy = await connect(tenantEvents());
    await healthy.waitFor((events) => events.length >= 1, 5000, 'the snapshot');
    await waitFor(async () => openStreams(), (count) => count === 2, { timeoutMs: 5000, what: 'both streams open' });
    expect(await consumers()).toBe(1);

    const runId = randomUUID();
    const padding = 'x'.repeat(400);
    let published = 0;
    // Batches the healthy client had in full while the stalled one was still connected: not delayed by it.
    let receivedWhileStalledOpen = 0;
    // Until the gateway gives up on the stalled client (its socket buffers are full, its bound is
    // exceeded) and ends its stream. (The stalled client itself cannot tell: it reads nothing.)
    while (openStreams() === 2 && published < 30_000) {
      const batch = Array.from({ length: 200 }, (_, index) =>
        statusEvent(runId, RunStatus.Running, published + index + 1, { padding } as Partial<RunStatusEvent>),
      );
      await Promise.all(batch.map((event) => gateway.nats.js.publish(subjectOf(event), JSON.stringify(event))));
      published += batch.length;
      await healthy.waitFor((events) => events.length >= published + 1, 5000, `event ${published}`);
      if (openStreams() === 2) receivedWhileStalledOpen += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(openStreams()).toBe(1);
    stalled.close();
    expect(statusesOf(healthy.events)).toHaveLength(published);
    expect(receivedWhileStalledOpen).toBeGreaterThan(1);
    expect(await consumers()).toBe(1);

    healthy.close();
    await waitFor(async () => openStreams(), (count) => count === 0, { timeoutMs: 5000, what: 'the streams to end' });
  });
});
