// Item events that reach run-service after their run-finished: held by a run-service replica that was
// killed before it acknowledged them (redelivered only after the consumer's ack wait), or never. The
// run waits for them (a few ack waits, finish-wait.ts) and is never reported succeeded without them.
import { firstValueFrom } from 'rxjs';
import { RUN_TYPES_REGISTRY, RunRpc, RunStatus, SafeErrorCode, type RunView } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, startRequest, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

const terminal = (run: RunView) => run.status !== RunStatus.Queued && run.status !== RunStatus.Running;
const at = (offsetMs: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, 0) + offsetMs).toISOString();

function item(runId: string, itemKey: string, offsetMs: number) {
  return { runId, tenantId: TENANT_ID, itemKey, status: 'succeeded', label: `Policy ${itemKey}`, outcome: 'created', occurredAt: at(offsetMs) };
}

function helpers(fixture: () => RunServiceFixture) {
  const getRun = (runId: string) => firstValueFrom(fixture().rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId }));
  /** The statuses the run announced, in order (its status events in the outbox). */
  const statusHistory = async (runId: string) =>
    (
      await fixture().database.pool.query<{ status: string }>(
        `SELECT payload->>'status' AS status FROM run_service.outbox WHERE message_id LIKE $1 ORDER BY id`,
        [`run:${runId}:status:%`],
      )
    ).rows.map((row) => row.status);
  return { getRun, statusHistory };
}

describe('item events held by a killed run-service replica', () => {
  let fixture: RunServiceFixture;
  const { getRun, statusHistory } = helpers(() => fixture);

  beforeAll(async () => {
    // Worker events wait 20 s for an ack: twice the old fixed ~10 s wait of run-finished.
    fixture = await createRunServiceFixture(1, { WORKER_EVENT_ACK_WAIT_MS: '20000' });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('a run whose items come back after the ack wait ends with all of them (run-finished first, no run-started)', async () => {
    const [holder] = fixture.replicas;
    const { run } = await fixture.start(startRequest());
    // The replica takes the item events and freezes before acknowledging them; then it is killed.
    holder.process.kill('SIGSTOP');
    // Published as its worker without asking run-service, whose only replica is frozen.
    for (const key of ['a', 'b', 'c']) await fixture.publishWorkerEvent('itemFinished', item(run.id, `backup-item:${key}`, 100), RUN_TYPES_REGISTRY[run.type].worker);
    await waitFor(
      () => fixture.nats.jsm.consumers.info(fixture.nats.names.workerEventStream, 'run-service'),
      (info) => info.num_ack_pending === 3,
      { what: 'the frozen replica to hold the three item events' },
    );
    const killedAt = Date.now();
    await holder.kill();
    const survivor = await fixture.startReplica('run-service-2');
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 3, occurredAt: at(900) });

    await waitFor(() => getRun(run.id), (current) => current.status === RunStatus.Running, { what: 'run-finished to be waiting for its items' });
    const finished = await waitFor(() => getRun(run.id), terminal, { what: 'the run to end', timeoutMs: 90_000 });
    console.log(`late items: the run ended ${Date.now() - killedAt} ms after the replica holding its items was killed`);
    expect(finished).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 3, succeeded: 3, failed: 0, skipped: 0 }, error: null });
    expect(finished.startedAt).not.toBeNull();
    expect(await statusHistory(run.id)).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded]);
    await survivor.stop();
    fixture.replicas.splice(0, fixture.replicas.length);
  }, 120_000);
});

describe('item events that never come', () => {
  let fixture: RunServiceFixture;
  const { getRun, statusHistory } = helpers(() => fixture);

  beforeAll(async () => {
    fixture = await createRunServiceFixture(2, { WORKER_EVENT_ACK_WAIT_MS: '2000' });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('a run missing some items ends partial with items_missing, never succeeded', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 3, occurredAt: at(0) });
    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:a', 100));
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 3, occurredAt: at(900) });
    const finished = await waitFor(() => getRun(run.id), terminal, { what: 'the run to end', timeoutMs: 60_000 });
    expect(finished).toMatchObject({
      status: RunStatus.Partial,
      counts: { total: 3, succeeded: 1, failed: 0, skipped: 0 },
      error: { code: SafeErrorCode.ItemsMissing },
    });
    expect(finished.error?.message).toContain('2 of the 3 item results');
    expect(await statusHistory(run.id)).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Partial]);
  }, 90_000);

  it('a run none of whose items came ends failed with items_missing, through running', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 3, occurredAt: at(900) });
    const finished = await waitFor(() => getRun(run.id), terminal, { what: 'the run to end', timeoutMs: 60_000 });
    expect(finished).toMatchObject({ status: RunStatus.Failed, counts: { succeeded: 0, failed: 0, skipped: 0 }, error: { code: SafeErrorCode.ItemsMissing } });
    expect(await statusHistory(run.id)).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Failed]);
    // An item arriving after the end changes nothing (a terminal run never changes).
    await fixture.publishWorkerEvent('itemFinished', item(run.id, 'policy:late', 100));
    await waitFor(
      () => fixture.nats.jsm.consumers.info(fixture.nats.names.workerEventStream, 'run-service'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      { what: 'every worker event to be acknowledged' },
    );
    expect(await getRun(run.id)).toEqual(finished);
  }, 90_000);
});
