// What run-service does for a removed tenant (its schedules paused: the dispatcher starts none of them;
// its queued and running runs canceled with the reason; its rows purged by the scheduler's tick once the
// retention has passed, the audit trail kept and the purge event relayed) and the per-tenant latest run
// summaries the gateway reads for a page of tenants (tenant health).
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import {
  AuditRpc,
  BackupScheduleRpc,
  RunRpc,
  RunStatus,
  RunType,
  type AuditEventView,
  type BackupScheduleView,
  type DispatchSchedulesReply,
  type LatestRunSummariesReply,
  type Page,
  type RemoveTenantReply,
  type RunView,
} from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

const OWNER = { userId: '22222222-2222-4222-8222-222222222222', email: 'admin@msp.test' };
const OTHER_TENANT = '33333333-3333-4333-8333-333333333333';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Two days (config): longer than the first test's dispatch a slot ahead, so only the purge test purges. */
const RETENTION_MS = 2 * DAY_MS;

describe('run-service: removing a tenant, purging it after the retention, latest run summaries', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(1, { SCHEDULER_CLOCK: 'manual', REMOVED_TENANT_RETENTION_MS: String(RETENTION_MS) });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const rpc = <T>(pattern: string, payload: object) => firstValueFrom(fixture.rpc.send<T>(pattern, payload));
  const create = (tenantId: string) =>
    rpc<BackupScheduleView>(BackupScheduleRpc.create, {
      tenantId,
      tenantDirectoryId: 'directory-1',
      requestedBy: OWNER,
      schedule: { name: `Nightly ${randomUUID().slice(0, 8)}`, frequency: 'daily', timeOfDay: '02:30', timeZone: 'UTC', keepLast: 3 },
    });

  const remove = (tenantId: string, disabledAt: string) => rpc<RemoveTenantReply>(RunRpc.removeTenant, { tenantId, disabledAt, requestedBy: OWNER });
  const getRun = (tenantId: string, runId: string) => rpc<RunView>(RunRpc.get, { tenantId, runId });
  const runningRun = async (tenantId: string) => {
    const { run } = await fixture.start({ tenantId, type: RunType.InventorySync, target: {}, scope: { policyTypes: ['deviceConfiguration'] } });
    await fixture.publishWorkerEvent('runStarted', { runId: run.id, tenantId, plannedItems: 5, occurredAt: new Date().toISOString() });
    await waitFor(() => getRun(tenantId, run.id), (current) => current.status === RunStatus.Running, { what: 'the run to be running' });
    return run;
  };

  it('pauses every live schedule of the tenant (once), keeps enabled, and the dispatcher skips them; other tenants go on', async () => {
    const paused = await create(TENANT_ID);
    const other = await create(OTHER_TENANT);

    const disabledAt = new Date().toISOString();
    const purgeAfter = new Date(Date.parse(disabledAt) + RETENTION_MS).toISOString();
    expect(await remove(TENANT_ID, disabledAt)).toEqual({ pausedSchedules: 1, canceledRuns: 0, cancelRequestedRuns: 0, purgeAfter });
    // Asking again keeps the first disabledAt.
    expect(await remove(TENANT_ID, new Date(Date.parse(disabledAt) + 5000).toISOString())).toEqual({ pausedSchedules: 0, canceledRuns: 0, cancelRequestedRuns: 0, purgeAfter });
    const view = await rpc<BackupScheduleView>(BackupScheduleRpc.get, { tenantId: TENANT_ID, scheduleId: paused.id });
    expect(view).toMatchObject({ enabled: true, pausedAt: expect.any(String) });
    expect(await rpc<BackupScheduleView>(BackupScheduleRpc.get, { tenantId: OTHER_TENANT, scheduleId: other.id })).toMatchObject({ pausedAt: null });

    // Both share a slot: only the other tenant's schedule is dispatched.
    expect(paused.nextRunAt).toBe(other.nextRunAt);
    expect(await rpc<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: paused.nextRunAt })).toEqual({ dispatched: 1, skipped: 0 });
    const { rows } = await fixture.database.pool.query<{ tenant_id: string }>(`SELECT tenant_id FROM run_service.runs WHERE type = 'backup_schedule.run'`);
    expect(rows.map((row) => row.tenant_id)).toEqual([OTHER_TENANT]);

    const audit = await rpc<Page<AuditEventView>>(AuditRpc.list, { tenantId: TENANT_ID, scheduleId: paused.id });
    expect(audit.items.find((event) => event.action === 'backup_schedule.paused')).toMatchObject({ actor: OWNER.email, details: { reason: 'tenant_disabled' } });
  });

  it('cancels the queued and running runs of a removed tenant through the cancel path, with the reason in the audit trail', async () => {
    const tenantId = randomUUID();
    const running = await runningRun(tenantId);
    const { run: queued } = await fixture.start({ tenantId, type: RunType.BackupSetCreate, target: { name: 'Queued' }, scope: {} });
    const { run: elsewhere } = await fixture.start({ tenantId: OTHER_TENANT, type: RunType.BackupSetCreate, target: { name: 'Other tenant' }, scope: {} });

    const disabledAt = new Date().toISOString();
    expect(await remove(tenantId, disabledAt)).toMatchObject({ pausedSchedules: 0, canceledRuns: 1, cancelRequestedRuns: 1 });
    expect(await getRun(tenantId, queued.id)).toMatchObject({ status: RunStatus.Canceled, cancelRequested: true, finishedAt: expect.any(String) });
    // The running run's worker ends it at its next checkpoint (it asks rpc.runs.get and sees cancelRequested).
    expect(await getRun(tenantId, running.id)).toMatchObject({ status: RunStatus.Running, cancelRequested: true });
    expect(await getRun(OTHER_TENANT, elsewhere.id)).toMatchObject({ status: RunStatus.Queued, cancelRequested: false });
    expect(await remove(tenantId, disabledAt)).toMatchObject({ canceledRuns: 0, cancelRequestedRuns: 0 });

    const audit = await rpc<Page<AuditEventView>>(AuditRpc.list, { tenantId });
    const canceled = audit.items.filter((event) => event.action === 'run.canceled');
    expect(canceled.map((event) => event.runId).sort()).toEqual([queued.id, running.id].sort());
    for (const event of canceled) expect(event).toMatchObject({ actor: OWNER.email, actorUserId: OWNER.userId, details: { reason: 'tenant_removed' } });
    const { rows } = await fixture.database.pool.query<{ summary: unknown }>('SELECT summary FROM run_service.runs WHERE id = $1', [queued.id]);
    expect(rows[0].summary).toEqual({ canceledBy: OWNER.email, reason: 'tenant_removed' });
  });

  it("keeps a removed tenant's rows until the retention has passed, then the tick purges them once and relays the purge event; the audit trail stays", async () => {
    const tenantId = randomUUID();
    await create(tenantId);
    const { run: finished } = await fixture.start({ tenantId, type: RunType.InventorySync, target: {}, scope: {} });
    await fixture.publishWorkerEvent('itemFinished', { runId: finished.id, tenantId, itemKey: 'a', status: 'succeeded', occurredAt: new Date().toISOString() });
    await fixture.publishWorkerEvent('runFinished', { runId: finished.id, tenantId, outcome: 'completed', itemCount: 1, occurredAt: new Date().toISOString() });
    await waitFor(() => getRun(tenantId, finished.id), (current) => current.status === RunStatus.Succeeded, { what: 'the run to end' });
    const kept = await create(OTHER_TENANT);
    const disabledAt = new Date(Date.now() - 60_000).toISOString();
    await remove(tenantId, disabledAt);

    const count = async (statement: string) => (await fixture.database.pool.query<{ n: number }>(statement, [tenantId])).rows[0].n;
    const rowsOfTenant = async () => ({
      runs: await count('SELECT count(*)::int AS n FROM run_service.runs WHERE tenant_id = $1'),
      items: await count('SELECT count(*)::int AS n FROM run_service.run_items i JOIN run_service.runs r ON r.id = i.run_id WHERE r.tenant_id = $1'),
      schedules: await count('SELECT count(*)::int AS n FROM run_service.backup_schedules WHERE tenant_id = $1'),
      outbox: await count(`SELECT count(*)::int AS n FROM run_service.outbox WHERE payload ->> 'tenantId' = $1 AND subject NOT LIKE '%.evt.tenant.purge.v1.%'`),
    });
    const before = await rowsOfTenant();
    expect(before).toEqual({ runs: 1, items: 1, schedules: 1, outbox: expect.any(Number) });
    expect(before.outbox).toBeGreaterThan(0);

    // One millisecond before the retention has passed: nothing is purged.
    const due = Date.parse(disabledAt) + RETENTION_MS;
    await rpc(BackupScheduleRpc.dispatch, { now: new Date(due - 1).toISOString() });
    expect(await rowsOfTenant()).toEqual(before);

    await rpc(BackupScheduleRpc.dispatch, { now: new Date(due).toISOString() });
    expect(await rowsOfTenant()).toEqual({ runs: 0, items: 0, schedules: 0, outbox: 0 });
    const removal = await fixture.database.pool.query<{ purged_at: Date }>('SELECT purged_at FROM run_service.removed_tenants WHERE tenant_id = $1', [tenantId]);
    expect(removal.rows[0].purged_at.toISOString()).toBe(new Date(due).toISOString());
    await waitFor(
      () => fixture.database.pool.query<{ subject: string; sent_at: Date | null; payload: object }>(`SELECT subject, sent_at, payload FROM run_service.outbox WHERE message_id = $1`, [`tenant:${tenantId}:purge`]),
      ({ rows }) => rows.length === 1 && rows[0].sent_at !== null,
      { what: 'the purge event to be relayed' },
    ).then(({ rows }) =>
      expect(rows[0]).toMatchObject({ subject: fixture.nats.names.tenantPurgeSubject(tenantId), payload: { tenantId, disabledAt, purgedAt: new Date(due).toISOString() } }),
    );
    const published = await fixture.nats.jsm.streams.getMessage(fixture.nats.names.tenantEventStream, { last_by_subj: fixture.nats.names.tenantPurgeSubject(tenantId) });
    expect(published?.json()).toMatchObject({ tenantId });

    // Purged once: a later tick does nothing more for it; the audit trail is kept, with the purge in it.
    await rpc(BackupScheduleRpc.dispatch, { now: new Date(due + DAY_MS).toISOString() });
    const audit = await rpc<Page<AuditEventView>>(AuditRpc.list, { tenantId });
    expect(audit.items.filter((event) => event.action === 'tenant.purged')).toEqual([
      expect.objectContaining({ actor: 'system:retention', details: expect.objectContaining({ disabledAt, retentionMs: RETENTION_MS, deleted: expect.objectContaining({ runs: 1, schedules: 1 }) }) }),
    ]);
    expect(audit.items.some((event) => event.action === 'backup_schedule.created')).toBe(true);
    // Another tenant's schedule is untouched.
    expect(await rpc<BackupScheduleView>(BackupScheduleRpc.get, { tenantId: OTHER_TENANT, scheduleId: kept.id })).toMatchObject({ id: kept.id });
  });

  it("answers each tenant's latest ended run of a type that has a summary, in one request", async () => {
    const tenants = [randomUUID(), randomUUID(), randomUUID()];
    const finish = async (tenantId: string, summary: Record<string, unknown> | undefined) => {
      const { run } = await fixture.start({ tenantId, type: RunType.TenantVerifyAccess, target: {}, scope: {} });
      await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId, outcome: 'completed', itemCount: 0, summary, occurredAt: new Date().toISOString() });
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const { rows } = await fixture.database.pool.query<{ status: string }>('SELECT status FROM run_service.runs WHERE id = $1', [run.id]);
        if (rows[0]?.status === RunStatus.Succeeded) return run.id;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`run ${run.id} did not finish`);
    };
    await finish(tenants[0], { health: 'no_consent', missingPermissions: [] });
    const latest = await finish(tenants[0], { health: 'ok', missingPermissions: [] });
    await finish(tenants[1], undefined);
    // A queued run does not hide the last ended one.
    await fixture.start({ tenantId: tenants[0], type: RunType.TenantVerifyAccess, target: {}, scope: {} });

    const reply = await rpc<LatestRunSummariesReply>(RunRpc.latestSummaries, { type: RunType.TenantVerifyAccess, tenantIds: tenants });
    expect(reply.items).toEqual([
      { tenantId: tenants[0], runId: latest, status: RunStatus.Succeeded, summary: { health: 'ok', missingPermissions: [] }, finishedAt: expect.any(String) },
    ]);
    await expect(rpc(RunRpc.latestSummaries, { type: RunType.TenantVerifyAccess, tenantIds: ['x'] })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
