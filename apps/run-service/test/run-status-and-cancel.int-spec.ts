import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunStatus, TenantRole, type RunStatusEvent, type RunView } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, startRequest, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

describe('run status events and cancel (run-service process, real JetStream)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    // No sweep within a test (it is the fallback for rows nobody published): every event here reaches the stream
    // because the transaction that wrote it published it at its commit (a start batch, a worker event) or kicked a pass.
    fixture = await createRunServiceFixture(1, { OUTBOX_POLL_INTERVAL_MS: '60000' });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const now = () => new Date().toISOString();

  async function statusEvents(runId: string): Promise<RunStatusEvent[]> {
    const { names, jsm } = fixture.nats;
    const { state } = await jsm.streams.info(names.runStatusStream);
    const events: RunStatusEvent[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(names.runStatusStream, { seq }).catch(() => null);
      const event = message?.json<RunStatusEvent>();
      if (event?.runId === runId) events.push(event);
    }
    return events;
  }

  const cancel = (runId: string, userId: string, role: TenantRole) =>
    firstValueFrom(
      fixture.rpc.send<RunView>(RunRpc.cancel, { tenantId: TENANT_ID, runId, requestedBy: { userId, email: 'someone@contoso.test' }, requesterRole: role }),
    );

  it('announces every transition once, and progress, on the tenant\'s status subject', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 2, occurredAt: now() });
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 2, occurredAt: now() });
    // Item events applied together give one progress event: each is sent once the previous one is counted.
    for (const [index, itemKey] of ['a', 'b'].entries()) {
      await fixture.publishWorkerEvent('itemFinished', { runId: run.id, tenantId: TENANT_ID, itemKey, status: 'succeeded', occurredAt: now() });
      await waitFor(() => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId: run.id })), (current) => current.counts.succeeded === index + 1);
    }
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 2, occurredAt: now() });
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 2, occurredAt: now() });

    const events = await waitFor(() => statusEvents(run.id), (found) => found.some((event) => event.status === RunStatus.Succeeded), {
      what: 'the terminal status event',
    });
    const transitions = events.filter((event) => event.kind === 'transition').map((event) => event.status);
    expect(transitions).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded]);
    const progress = events.filter((event) => event.kind === 'progress').map((event) => event.counts.succeeded);
    expect(progress).toEqual([1, 2]);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    expect(events[events.length - 1]).toMatchObject({ tenantId: TENANT_ID, counts: { total: 2, succeeded: 2, failed: 0, skipped: 0 } });
    const message = await fixture.nats.jsm.streams.getMessage(fixture.nats.names.runStatusStream, { last_by_subj: fixture.nats.names.runStatusSubject(TENANT_ID) });
    expect(message?.subject).toBe(fixture.nats.names.runStatusSubject(TENANT_ID));
  });

  it('cancels a queued run at once, and announces it', async () => {
    const { run } = await fixture.start(startRequest());
    const canceled = await cancel(run.id, run.initiator.userId, TenantRole.Operator);
    expect(canceled).toMatchObject({ status: RunStatus.Canceled, cancelRequested: true });
    expect(canceled.finishedAt).not.toBeNull();
    const events = await waitFor(() => statusEvents(run.id), (found) => found.length >= 2, { what: 'queued and canceled events' });
    expect(events.map((event) => event.status)).toEqual([RunStatus.Queued, RunStatus.Canceled]);
  });

  it('marks a running run cancel-requested; the worker then ends it canceled with its counts', async () => {
    const { run } = await fixture.start(startRequest());
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId: TENANT_ID, plannedItems: 5, occurredAt: now() });
    await fixture.publishWorkerEvent('itemFinished', { runId: run.id, tenantId: TENANT_ID, itemKey: 'a', status: 'succeeded', occurredAt: now() });
    await waitFor(() => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId: run.id })), (current) => current.counts.succeeded === 1);
    const marked = await cancel(run.id, randomUUID(), TenantRole.Owner);
    expect(marked).toMatchObject({ status: RunStatus.Running, cancelRequested: true });
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'canceled', itemCount: 1, occurredAt: now() });
    const ended = await waitFor(
      () => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId: run.id })),
      (current) => current.status === RunStatus.Canceled,
      { what: 'the canceled run' },
    );
    expect(ended.counts).toEqual({ total: 5, succeeded: 1, failed: 0, skipped: 0 });
  });

  it('refuses to cancel a terminal run (conflict), another user\'s run as an operator (forbidden), an unknown run (not found)', async () => {
    // A reader may cancel nothing: refused before the run is looked up, so an unknown id answers the same.
    for (const runId of [(await fixture.start(startRequest())).run.id, randomUUID()]) {
      await expect(cancel(runId, randomUUID(), TenantRole.Reader)).rejects.toMatchObject({
        code: 'forbidden',
        message: 'canceling a run needs the operator role in this tenant; you are reader',
      });
    }
    const { run } = await fixture.start(startRequest());
    await cancel(run.id, run.initiator.userId, TenantRole.Operator);
    await expect(cancel(run.id, run.initiator.userId, TenantRole.Operator)).rejects.toMatchObject({ code: 'conflict' });
    const other = await fixture.start(startRequest());
    await expect(cancel(other.run.id, randomUUID(), TenantRole.Operator)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'only the user who started the run or a tenant owner may cancel it',
    });
    await expect(cancel(randomUUID(), randomUUID(), TenantRole.Owner)).rejects.toMatchObject({ code: 'not_found' });
    // Through another tenant: other_tenant names the run's tenant, and nothing is canceled.
    const elsewhere = { tenantId: randomUUID(), runId: other.run.id, requestedBy: { userId: randomUUID(), email: 'someone@fabrikam.test' }, requesterRole: TenantRole.Owner };
    await expect(firstValueFrom(fixture.rpc.send<RunView>(RunRpc.cancel, elsewhere))).rejects.toEqual({ code: 'other_tenant', message: 'run not found', tenantId: TENANT_ID });
    expect((await firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId: other.run.id }))).status).toBe(RunStatus.Queued);
  });
});
