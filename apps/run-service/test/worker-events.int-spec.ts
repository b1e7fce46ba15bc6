import { firstValueFrom } from 'rxjs';
import { RunRpc, RunStatus, WorkerEventSubjects, workerEventSubject, type Page, type RunItemView, type RunStatusEvent, type RunView, type RunWorker } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, startRequest, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

describe('worker events applied to runs (real JetStream, run-service process)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(1);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const getRun = (runId: string) => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId }));
  const waitForRun = (runId: string, done: (run: RunView) => boolean, what: string) =>
    waitFor(() => getRun(runId), done, { what });
  const at = (offsetMs: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, 0) + offsetMs).toISOString();

  function item(runId: string, itemKey: string, status: 'succeeded' | 'failed' | 'skipped', offsetMs: number) {
    return {
      runId,
      tenantId: TENANT_ID,
      itemKey,
      status,
      label: `Policy ${itemKey}`,
      outcome: status === 'succeeded' ? 'captured' : undefined,
      error: status === 'failed' ? { code: 'graph_bad_request', message: 'Graph rejected the request', context: { httpStatus: 400 } } : undefined,
      occurredAt: at(offsetMs),
    };
  }

  it('applies events delivered twice and out of order, with counts derived from the items', async () => {
    const { run } = await fixture.start(startRequest());
    const events: [Parameters<RunServiceFixture['publishWorkerEvent']>[0], object][] = [
      ['runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 3, occurredAt: at(5000) }],
      ['itemFinished', item(run.id, 'policy:b', 'failed', 2000)],
      ['itemFinished', item(run.id, 'policy:a', 'succeeded', 1000)],
      ['runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 3, occurredAt: at(0) }],
      ['itemFinished', item(run.id, 'policy:a', 'succeeded', 1000)],
      ['itemFinished', item(run.id, 'policy:c', 'skipped', 3000)],
      ['runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 3, occurredAt: at(0) }],
    ];
    for (const [kind, event] of events) await fixture.publishWorkerEvent(kind, event);

    const finished = await waitForRun(run.id, (current) => current.status !== RunStatus.Queued && current.status !== RunStatus.Running, 'the run to end');
    expect(finished).toMatchObject({
      status: RunStatus.Partial,
      counts: { total: 3, succeeded: 1, failed: 1, skipped: 1 },
      startedAt: at(0),
      finishedAt: at(5000),
      // No run-level error from the worker: the run's summary comes from its failed items.
      error: { code: 'graph_bad_request', message: '1 of 3 items failed; most often: Graph rejected the request' },
    });
    const items = await firstValueFrom(fixture.rpc.send<Page<RunItemView>>(RunRpc.listItems, { tenantId: TENANT_ID, runId: run.id, limit: 2 }));
    expect(items.items.map((entry) => entry.itemKey)).toEqual(['policy:a', 'policy:b']);
    expect(items.items[1].error).toEqual({ code: 'graph_bad_request', message: 'Graph rejected the request', context: { httpStatus: 400 } });
    const next = await firstValueFrom(
      fixture.rpc.send<Page<RunItemView>>(RunRpc.listItems, { tenantId: TENANT_ID, runId: run.id, limit: 2, cursor: items.nextCursor }),
    );
    expect(next).toMatchObject({ items: [{ itemKey: 'policy:c', status: 'skipped' }], nextCursor: null });
  });

  it('never changes a terminal run, whatever arrives later', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, occurredAt: at(0) });
    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:a', 'succeeded', 100));
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 1, occurredAt: at(200) });
    const finished = await waitForRun(run.id, (current) => current.status === RunStatus.Succeeded, 'success');

    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:late', 'failed', 300));
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, occurredAt: at(400) });
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'failed', itemCount: 2, occurredAt: at(500) });
    // A marker event on a second run, published after the late ones, proves they were processed.
    const marker = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runStarted', { runId: marker.run.id, tenantId: TENANT_ID, occurredAt: at(600) });
    await waitForRun(marker.run.id, (current) => current.status === RunStatus.Running, 'the marker run to start');
    await waitFor(
      () => fixture.nats.jsm.consumers.info(fixture.nats.names.workerEventStream, 'run-service'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      { what: 'every worker event to be acknowledged' },
    );

    expect(await getRun(run.id)).toEqual(finished);
  });

  it('waits for item events still in flight before ending a run', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 2, occurredAt: at(900) });
    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:a', 'succeeded', 100));
    await waitForRun(run.id, (current) => current.counts.succeeded === 1, 'the first item');
    expect((await getRun(run.id)).status).toBe(RunStatus.Running);
    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:b', 'succeeded', 200));
    const finished = await waitForRun(run.id, (current) => current.status === RunStatus.Succeeded, 'success');
    expect(finished.counts).toEqual({ total: 2, succeeded: 2, failed: 0, skipped: 0 });
  });

  it('keeps the planned total of a canceled run whose run-finished is applied before its run-started', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:a', 'succeeded', 100));
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'canceled', itemCount: 1, plannedItems: 600, occurredAt: at(900) });
    const finished = await waitForRun(run.id, (current) => current.status === RunStatus.Canceled, 'the cancel');
    expect(finished.counts).toEqual({ total: 600, succeeded: 1, failed: 0, skipped: 0 });
    // The run-started that arrives afterwards changes nothing.
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 600, occurredAt: at(0) });
    expect((await getRun(run.id)).counts.total).toBe(600);
  });

  it('rejects and records malformed events instead of crashing or dropping them silently', async () => {
    await fixture.nats.js.publish(fixture.nats.names.subject('evt.worker.item-finished.v1'), 'not json');
    await fixture.publishWorkerEvent('itemFinished', { runId: 'x', status: 'exploded' });
    const rows = await waitFor(
      async () => (await fixture.database.pool.query(`SELECT subject, reason FROM run_service.rejected_messages ORDER BY id`)).rows,
      (found) => found.length >= 2,
      { what: 'two rejected messages recorded' },
    );
    // Handled concurrently: recorded in either order.
    const reasons = rows.map((row) => String(row.reason)).sort();
    expect(reasons[0]).toContain('runId');
    expect(reasons[1]).toBe('payload is not JSON');
    // The consumer is still alive and applying events.
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, occurredAt: at(0) });
    await waitForRun(run.id, (current) => current.status === RunStatus.Running, 'the run to start');
  });

  it('refuses events from a worker that does not own the run type, and events for a run not in the tenant', async () => {
    // A policy snapshot is capture-worker's: the restore-worker (by its subject) may not end it.
    const { run } = await fixture.start(startRequest());
    const { run: other } = await fixture.start(startRequest());
    const finished = { outcome: 'completed', itemCount: 0, occurredAt: at(0) };
    const asRestoreWorker = fixture.nats.names.subject(workerEventSubject(WorkerEventSubjects.runFinished, 'restore-worker'));
    await fixture.nats.js.publish(asRestoreWorker, JSON.stringify({ runId: run.id, tenantId: TENANT_ID, ...finished }));
    await fixture.nats.js.publish(
      fixture.nats.names.subject(workerEventSubject(WorkerEventSubjects.runFinished, 'capture-worker')),
      JSON.stringify({ runId: other.id, tenantId: '99999999-9999-4999-8999-999999999999', ...finished }),
    );
    const rows = await waitFor(
      async () => (await fixture.database.pool.query(`SELECT subject, reason FROM run_service.rejected_messages WHERE reason LIKE '%${run.id}%' OR reason LIKE '%${other.id}%'`)).rows,
      (found) => found.length === 2,
      { what: 'both events refused and recorded' },
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { subject: asRestoreWorker, reason: `restore-worker reported on run ${run.id} of type policy.capture_snapshot, which capture-worker runs` },
        expect.objectContaining({ reason: `run ${other.id} does not exist in tenant 99999999-9999-4999-8999-999999999999` }),
      ]),
    );
    expect((await getRun(run.id)).status).toBe(RunStatus.Queued);
    expect((await getRun(other.id)).status).toBe(RunStatus.Queued);
  });

  it('applies a burst of item events of one run in batches: one row per item, the latest report wins, counts exact, a refused event alone refused', async () => {
    const { run } = await fixture.start(startRequest());
    const keys = Array.from({ length: 40 }, (_, index) => `policy:${String(index).padStart(2, '0')}`);
    // Every item succeeds; ten fail first and are reported again later (a retried item), ten are delivered twice,
    // and five arrive after a later report of themselves (out of order): none may move back.
    const events = [
      ...keys.slice(0, 10).map((key, index) => item(run.id, key, 'failed', 1000 + index)),
      ...keys.map((key, index) => item(run.id, key, 'succeeded', 2000 + index)),
      ...keys.slice(10, 20).map((key, index) => item(run.id, key, 'succeeded', 2010 + index)),
      ...keys.slice(20, 25).map((key, index) => item(run.id, key, 'skipped', 1500 + index)),
    ];
    const subject = (worker: RunWorker) => fixture.nats.names.subject(workerEventSubject(WorkerEventSubjects.itemFinished, worker));
    const refused = item(run.id, 'policy:refused', 'succeeded', 3000);
    // Published together (so that they reach run-service together), the refused one in the middle.
    await Promise.all([
      ...events.slice(0, 30).map((event) => fixture.nats.js.publish(subject('capture-worker'), JSON.stringify(event))),
      fixture.nats.js.publish(subject('restore-worker'), JSON.stringify(refused)),
      ...events.slice(30).map((event) => fixture.nats.js.publish(subject('capture-worker'), JSON.stringify(event))),
    ]);
    await waitFor(
      () => fixture.nats.jsm.consumers.info(fixture.nats.names.workerEventStream, 'run-service'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      { what: 'every item event to be acknowledged' },
    );

    const rows = (
      await fixture.database.pool.query(`SELECT item_key, status, finished_at FROM run_service.run_items WHERE run_id = $1 ORDER BY item_key`, [run.id])
    ).rows as Array<{ item_key: string; status: string; finished_at: Date }>;
    expect(rows.map((row) => row.item_key)).toEqual(keys);
    expect(rows.every((row) => row.status === 'succeeded')).toBe(true);
    expect(rows.map((row) => row.finished_at.toISOString())).toEqual(keys.map((_, index) => at(2000 + index)));
    expect(await getRun(run.id)).toMatchObject({ status: RunStatus.Running, counts: { total: 40, succeeded: 40, failed: 0, skipped: 0 } });
    const rejected = (await fixture.database.pool.query(`SELECT reason FROM run_service.rejected_messages WHERE reason LIKE $1`, [`%${run.id}%`])).rows;
    expect(rejected).toEqual([{ reason: `restore-worker reported on run ${run.id} of type policy.capture_snapshot, which capture-worker runs` }]);

    // The progress events announce the counts as they grew, the last one the final counts; the items reached
    // run-service together, so fewer progress events than item events were needed.
    const { state } = await fixture.nats.jsm.streams.info(fixture.nats.names.runStatusStream);
    const progress: RunStatusEvent[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      const event = (await fixture.nats.jsm.streams.getMessage(fixture.nats.names.runStatusStream, { seq }).catch(() => null))?.json<RunStatusEvent>();
      if (event?.runId === run.id && event.kind === 'progress') progress.push(event);
    }
    const totals = progress.map((event) => event.counts.succeeded + event.counts.failed + event.counts.skipped);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(progress[progress.length - 1].counts).toEqual({ total: 40, succeeded: 40, failed: 0, skipped: 0 });
    expect(progress.length).toBeLessThan(events.length);
  });

  it('applies a batched item event (items) as its items one event each, with single events of the same run; a refused batch alone refused', async () => {
    const { run } = await fixture.start(startRequest());
    const report = (itemKey: string, status: 'succeeded' | 'failed' | 'skipped', offsetMs: number) => {
      const { runId: _runId, tenantId: _tenantId, ...fields } = item(run.id, itemKey, status, offsetMs);
      return fields;
    };
    const subject = (worker: RunWorker) => fixture.nats.names.subject(workerEventSubject(WorkerEventSubjects.itemFinished, worker));
    const batch = (worker: RunWorker, items: object[]) =>
      fixture.nats.js.publish(subject(worker), JSON.stringify({ runId: run.id, tenantId: TENANT_ID, items, occurredAt: at(9000) }));
    await Promise.all([
      // policy:a fails, then succeeds later in the same batch; policy:b succeeds, and a late single report of its
      // earlier failure must not move it back; policy:c is reported in two batches (redelivered).
      batch('capture-worker', [report('policy:a', 'failed', 1000), report('policy:b', 'succeeded', 2000), report('policy:a', 'succeeded', 3000)]),
      fixture.nats.js.publish(subject('capture-worker'), JSON.stringify(item(run.id, 'policy:b', 'failed', 1500))),
      batch('capture-worker', [report('policy:c', 'skipped', 2500)]),
      batch('capture-worker', [report('policy:c', 'skipped', 2500), report('policy:d', 'failed', 2600)]),
      batch('restore-worker', [report('policy:refused', 'succeeded', 2700), report('policy:refused-too', 'succeeded', 2800)]),
    ]);
    // A batch with an invalid item is rejected as a whole, like a malformed single event.
    await batch('capture-worker', [report('policy:e', 'succeeded', 2900), { itemKey: 'policy:f', status: 'exploded', occurredAt: at(2900) }]);
    await waitFor(
      () => fixture.nats.jsm.consumers.info(fixture.nats.names.workerEventStream, 'run-service'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      { what: 'every item event to be acknowledged' },
    );

    const rows = (
      await fixture.database.pool.query(`SELECT item_key, status, label, outcome, error, finished_at FROM run_service.run_items WHERE run_id = $1 ORDER BY item_key`, [run.id])
    ).rows as Array<{ item_key: string; status: string; label: string; outcome: string | null; error: object | null; finished_at: Date }>;
    expect(rows.map((row) => [row.item_key, row.status, row.finished_at.toISOString()])).toEqual([
      ['policy:a', 'succeeded', at(3000)],
      ['policy:b', 'succeeded', at(2000)],
      ['policy:c', 'skipped', at(2500)],
      ['policy:d', 'failed', at(2600)],
    ]);
    expect(rows[0]).toMatchObject({ label: 'Policy policy:a', outcome: 'captured', error: null });
    expect(rows[3].error).toEqual({ code: 'graph_bad_request', message: 'Graph rejected the request', context: { httpStatus: 400 } });
    expect(await getRun(run.id)).toMatchObject({ status: RunStatus.Running, startedAt: at(1000), counts: { total: 4, succeeded: 2, failed: 1, skipped: 1 } });
    const rejected = (await fixture.database.pool.query(`SELECT reason FROM run_service.rejected_messages WHERE reason LIKE $1`, [`%${run.id}%`])).rows;
    expect(rejected).toEqual([{ reason: `restore-worker reported on run ${run.id} of type policy.capture_snapshot, which capture-worker runs` }]);
    const invalid = (await fixture.database.pool.query(`SELECT reason FROM run_service.rejected_messages WHERE reason LIKE '%items%' AND reason LIKE '%status%'`)).rows;
    expect(invalid).toHaveLength(1);
  });
});
