// What run-service does for a removed tenant (its schedules paused: the dispatcher starts none of them)
// and the per-tenant latest run summaries the gateway reads for a page of tenants (tenant health).
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
  type PauseTenantSchedulesReply,
} from '@policyvault/contracts';
import { createRunServiceFixture, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

const OWNER = { userId: '22222222-2222-4222-8222-222222222222', email: 'admin@msp.test' };
const OTHER_TENANT = '33333333-3333-4333-8333-333333333333';

describe('run-service: pausing a removed tenant, latest run summaries', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(1, { SCHEDULER_CLOCK: 'manual' });
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

  it('pauses every live schedule of the tenant (once), keeps enabled, and the dispatcher skips them; other tenants go on', async () => {
    const paused = await create(TENANT_ID);
    const other = await create(OTHER_TENANT);

    expect(await rpc<PauseTenantSchedulesReply>(BackupScheduleRpc.pauseTenant, { tenantId: TENANT_ID, requestedBy: OWNER })).toEqual({ paused: 1 });
    expect(await rpc<PauseTenantSchedulesReply>(BackupScheduleRpc.pauseTenant, { tenantId: TENANT_ID, requestedBy: OWNER })).toEqual({ paused: 0 });
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
