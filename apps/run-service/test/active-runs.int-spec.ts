// rpc.runs.active.v1: the queued and running runs of many tenants in one request, newest first and
// bounded (the gateway's live streams take their snapshot from it); only the tenants asked for.
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunStatus, RunType, type ActiveRunsReply, type RunView } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, type RunServiceFixture } from './run-service.fixture.js';

describe('run-service: the active runs of many tenants (live snapshots)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(1);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const active = (tenantIds: string[], limit: number) => firstValueFrom(fixture.rpc.send<ActiveRunsReply>(RunRpc.activeRuns, { tenantIds, limit }));
  const capture = async (tenantId: string) =>
    (await fixture.start({ tenantId, type: RunType.PolicyCaptureSnapshot, target: { policyId: randomUUID() }, scope: {} })).run;
  const get = (run: RunView) => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: run.tenantId, runId: run.id }));

  it("lists the queued and running runs of the tenants asked for, newest first, each with its tenant; not ended runs, not other tenants'", async () => {
    const [first, second, other] = [randomUUID(), randomUUID(), randomUUID()];
    const ended = await capture(first);
    await fixture.publishWorkerEvent('runFinished', { runId: ended.id, tenantId: first, outcome: 'completed', itemCount: 0, occurredAt: new Date().toISOString() });
    await waitFor(() => get(ended), (run) => run.finishedAt !== null, { what: 'the first run to end' });
    const queued = await capture(first);
    const running = await capture(second);
    await fixture.publishWorkerEvent('runStarted', { runId: running.id, tenantId: second, plannedItems: 3, occurredAt: new Date().toISOString() });
    await waitFor(() => get(running), (run) => run.status === RunStatus.Running, { what: 'the second run to run' });
    await capture(other);

    const reply = await active([first, second.toUpperCase()], 10);
    expect(reply).toEqual({ runs: [expect.objectContaining({ id: running.id, tenantId: second, status: RunStatus.Running }), expect.objectContaining({ id: queued.id, tenantId: first, status: RunStatus.Queued })], truncated: false });

    // Bounded: the newest within the limit, and it says so.
    expect(await active([first, second], 1)).toEqual({ runs: [expect.objectContaining({ id: running.id })], truncated: true });
    expect(await active([], 10)).toEqual({ runs: [], truncated: false });
  });

  it('refuses a request that is not one (validation_failed)', async () => {
    await expect(active(['not-a-tenant'], 10)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(active([randomUUID()], 0)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
