// The fleet status run-service keeps per tenant as runs end (tenant_fleet_status, written in the
// transaction that ends a run, newer wins), read by rpc.runs.fleet-status: runs ended through worker
// events, in order, out of order and at the same time, show as the overview expects.
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunType, type FleetStatusReply, type RunView, type StartRunRequest } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, type RunServiceFixture } from './run-service.fixture.js';

describe('run-service: the fleet status kept as runs end', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(1);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const fleet = (tenantIds: string[]) =>
    firstValueFrom(fixture.rpc.send<FleetStatusReply>(RunRpc.fleetStatus, { tenantIds, filter: {}, sort: 'name', limit: 50, offset: 0 }));
  const start = async (tenantId: string, request: Pick<StartRunRequest, 'type' | 'target' | 'scope'>) => (await fixture.start({ tenantId, ...request })).run;
  /** Ends the run through the worker events, as a worker reports it, at `occurredAt`. */
  const finish = async (run: RunView, outcome: 'completed' | 'failed', occurredAt: Date, summary?: Record<string, unknown>) => {
    await fixture.publishWorkerEvent('runFinished', {
      runId: run.id,
      tenantId: run.tenantId,
      outcome,
      itemCount: 0,
      summary,
      ...(outcome === 'failed' ? { error: { code: 'graph_unavailable', message: 'Graph did not answer.' } } : {}),
      occurredAt: occurredAt.toISOString(),
    });
  };
  const ended = (run: RunView) =>
    waitFor(() => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: run.tenantId, runId: run.id })), (current) => current.finishedAt !== null, {
      what: `run ${run.id} to end`,
    });
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  it('shows the newest access check, backup, failure and drift check of each tenant, whatever order they end in', async () => {
    const [tenant, untouched] = [randomUUID(), randomUUID()];
    const newerCheck = await start(tenant, { type: RunType.TenantVerifyAccess, target: {}, scope: {} });
    await finish(newerCheck, 'completed', minutesAgo(10), { health: 'missing_permissions', missingPermissions: ['DeviceManagementApps.Read.All'], grantedPermissions: [] });
    await ended(newerCheck);
    // An older check ending later (a redelivered or late event) does not replace the newer one.
    const olderCheck = await start(tenant, { type: RunType.TenantVerifyAccess, target: {}, scope: {} });
    await finish(olderCheck, 'completed', minutesAgo(30), { health: 'ok', missingPermissions: [], grantedPermissions: [] });
    await ended(olderCheck);

    // Two backups and a failed sync of the tenant end at the same time.
    const backups = await Promise.all([start(tenant, { type: RunType.BackupSetCreate, target: { name: 'A' }, scope: {} }), start(tenant, { type: RunType.BackupSetCreate, target: { name: 'B' }, scope: {} })]);
    const sync = await start(tenant, { type: RunType.InventorySync, target: {}, scope: {} });
    const setId = randomUUID();
    await Promise.all([
      finish(backups[0], 'completed', minutesAgo(5), { backupSetId: randomUUID() }),
      finish(backups[1], 'completed', minutesAgo(2), { backupSetId: setId }),
      finish(sync, 'failed', minutesAgo(3)),
    ]);
    await Promise.all([...backups, sync].map(ended));
    const drift = await start(tenant, { type: RunType.DriftCheck, target: {}, scope: {} });
    await finish(drift, 'completed', minutesAgo(1), { reportId: randomUUID(), baselineBackupSetId: setId, driftStatus: 'drifted', added: 1, removed: 0, changed: 2, unchanged: 3 });
    await ended(drift);
    await start(tenant, { type: RunType.InventorySync, target: {}, scope: {} });

    const reply = await fleet([tenant, untouched]);
    expect(reply.total).toBe(2);
    expect(reply.items[0]).toMatchObject({
      tenantId: tenant,
      health: { status: 'missing_permissions', missingPermissions: ['DeviceManagementApps.Read.All'], runId: newerCheck.id },
      lastSuccessfulBackup: { runId: backups[1].id, runType: RunType.BackupSetCreate, backupSetId: setId },
      lastFailedRun: { runId: sync.id, type: RunType.InventorySync, errorCode: 'graph_unavailable' },
      activeRuns: 1,
      drift: { status: 'drifted', runId: drift.id, added: 1, changed: 2 },
    });
    expect(reply.items[1]).toEqual({ tenantId: untouched, health: null, lastSuccessfulBackup: null, lastFailedRun: null, activeRuns: 0, drift: null, schedules: { enabled: 0, items: [] } });
    const byHealth = await firstValueFrom(
      fixture.rpc.send<FleetStatusReply>(RunRpc.fleetStatus, { tenantIds: [tenant, untouched], filter: { health: 'missing_permissions' }, sort: 'lastBackupAt', limit: 50, offset: 0 }),
    );
    expect(byHealth.items.map((item) => item.tenantId)).toEqual([tenant]);
  });
});
