// Removing a tenant end to end (issue 12): gateway → run-service → the workers → Graph emulator. A long
// backup set running when an administrator removes the tenant is canceled through the one cancel path
// (its worker stops at the next checkpoint: nothing is read or written after the run ended), with the
// reason in the audit trail. Its data is kept until the retention (REMOVED_TENANT_RETENTION_MS, one
// minute here) has passed at the scheduler's tick (a manual clock here), then purged in every service
// that holds it by the purge event over JetStream; the audit trail and the tenant's row stay, and a
// redelivered purge event deletes nothing more and is not rejected.
import {
  AuditRpc,
  BackupScheduleRpc,
  BackupStoreRpc,
  RunStatus,
  RunType,
  type AuditEventView,
  type Page,
  type PolicyView,
  type RunView,
  type TenantPurgeEvent,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, connectNatsRpc, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

/** Fifteen reads of 40 policies: slowed down, the backup set takes well over ten seconds. */
const POLICY_COUNT = 600;
const RETENTION_MS = 60_000;
const ADMIN = 'admin@msp.test';
const OPERATOR = 'operator@contoso.test';

/** Every table holding the tenant's rows, per owning service (the audit trail is counted apart: it stays). */
const TENANT_TABLES = [
  'run_service.runs',
  'run_service.backup_schedules',
  'capture.policies',
  'capture.policy_versions',
  'capture.backup_sets',
  'capture.backup_items',
  'restore.previews',
  'restore.preview_items',
  'restore.drift_reports',
  'restore.drift_items',
  'notifier.notifications',
  'gateway.memberships',
] as const;
const PURGE_CONSUMERS = ['capture-worker', 'restore-worker', 'notifier', 'gateway'].map((service) => `${service}-tenant-purge`);

describe('removing a tenant (issue 12): its running runs canceled, its data purged after the retention', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  let rpc: NatsRpc;
  let operator: string;
  let admin: string;
  let disabledAt: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: POLICY_COUNT } } });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'],
      env: { ...graphEmulatorEnv(emulator.url), SCHEDULER_CLOCK: 'manual', REMOVED_TENANT_RETENTION_MS: String(RETENTION_MS) },
    });
    operator = await stack.token(OPERATOR);
    admin = await stack.token(ADMIN);
    runs = gatewayRuns(stack.gatewayUrl, operator);
    rpc = await connectNatsRpc(stack.nats.namespace);
  }, 120_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    await emulator?.close();
  }, 60_000);

  const api = async (method: string, path: string, token: string, body?: object) => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
  };
  const succeeded = async (type: RunType, target: object, scope: object): Promise<RunView> => {
    const { reply } = await runs.start(CONTOSO.id, { type, target, scope });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id, { timeoutMs: 60_000 });
    expect(run).toMatchObject({ type, status: RunStatus.Succeeded });
    return run;
  };
  const tenantRows = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const table of TENANT_TABLES) {
      const { rows } = await stack.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [CONTOSO.id]);
      counts[table] = rows[0].n;
    }
    return counts;
  };
  const commandsOnStream = async () => (await stack.nats.jsm.streams.info(stack.nats.names.commandStream)).state.messages;

  it('cancels the running backup set when an administrator removes the tenant: nothing is read or written after it ended', async () => {
    // Data in every service first: the inventory, a complete set of three policies, a preview and a drift report of it.
    await succeeded(RunType.InventorySync, {}, { policyTypes: ['deviceConfiguration'] });
    const policies = (await rpc.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, { tenantId: CONTOSO.id, policyType: 'deviceConfiguration', limit: 200 })).items;
    const small = await succeeded(RunType.BackupSetCreate, { name: 'Three' }, { policyIds: policies.slice(0, 3).map((policy) => policy.id) });
    const backupSetId = String(small.summary?.backupSetId);
    await succeeded(RunType.RestorePreview, { backupSetId }, {});
    await succeeded(RunType.DriftCheck, { backupSetId }, {});
    const owner = await stack.token('owner@contoso.test');
    const schedule = { name: 'Nightly', frequency: 'daily', timeOfDay: '02:30', timeZone: 'UTC', keepLast: 3 };
    expect(await api('POST', `/api/tenants/${CONTOSO.id}/backup-schedules`, owner, schedule)).toMatchObject({ status: 201 });

    const allPolicyIds: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<PolicyView> = await rpc.request<Page<PolicyView>>(BackupStoreRpc.listPolicies, {
        tenantId: CONTOSO.id,
        policyType: 'deviceConfiguration',
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      allPolicyIds.push(...page.items.map((policy) => policy.id));
      cursor = page.nextCursor;
    } while (cursor);

    emulator.admin.setFaults(CONTOSO.directoryId, { latencyMs: { min: 700, max: 700 } });
    const journalStart = emulator.journal.list().length;
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Running at removal' }, scope: { policyIds: allPolicyIds } });
    await waitFor(() => runs.get(CONTOSO.id, reply.run.id), (run) => run.counts.succeeded > 0, { intervalMs: 50, what: 'the first captured policy' });

    expect(await api('DELETE', `/api/tenants/${CONTOSO.id}`, operator)).toMatchObject({ status: 403 });
    expect(await api('DELETE', `/api/tenants/${CONTOSO.id}`, admin)).toEqual({ status: 204, body: null });

    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id, { timeoutMs: 60_000 });
    emulator.admin.setFaults(CONTOSO.directoryId, undefined);
    expect(run).toMatchObject({ status: RunStatus.Canceled, cancelRequested: true, counts: { total: POLICY_COUNT, failed: 0 } });
    expect(run.counts.succeeded).toBeGreaterThan(0);
    expect(run.counts.succeeded).toBeLessThan(POLICY_COUNT);

    // Once the command is acknowledged nothing more can happen: the items are exactly the counted ones,
    // none finished after the run did, no Graph request arrived after it ended, and its set holds only them.
    await waitFor(commandsOnStream, (messages) => messages === 0, { what: 'the command to be acknowledged' });
    const items = await runs.items(CONTOSO.id, run.id);
    expect(items).toHaveLength(run.counts.succeeded);
    const finishedAt = Date.parse(run.finishedAt!);
    expect(items.every((item) => Date.parse(item.finishedAt) <= finishedAt)).toBe(true);
    const journal = emulator.journal.list().slice(journalStart).filter((entry) => entry.kind !== 'token');
    expect(journal.every((entry) => entry.time <= finishedAt)).toBe(true);
    const set = await rpc.request<{ status: string; itemCount: number }>(BackupStoreRpc.getBackupSet, { tenantId: CONTOSO.id, backupSetId: run.summary?.backupSetId });
    expect(set).toMatchObject({ status: 'partial', itemCount: run.counts.succeeded });

    // Recorded like an operator's cancel, with the reason: the administrator canceled it because the tenant was removed.
    const audit = await rpc.request<Page<AuditEventView>>(AuditRpc.list, { tenantId: CONTOSO.id, runId: run.id });
    expect(audit.items).toEqual([expect.objectContaining({ action: 'run.canceled', actor: ADMIN, details: expect.objectContaining({ reason: 'tenant_removed' }) })]);
    // Disabled: no new run, and the tenant (with its data) stays readable.
    const refused = await api('POST', `/api/tenants/${CONTOSO.id}/runs`, operator, { type: RunType.InventorySync, target: {}, scope: {} });
    expect(refused).toMatchObject({ status: 409, body: { message: expect.stringMatching(/^tenant_disabled: /) } });
    const tenant = await api('GET', `/api/tenants/${CONTOSO.id}`, operator);
    expect(tenant).toMatchObject({ status: 200, body: { disabledAt: expect.any(String) } });
    disabledAt = String(tenant.body?.disabledAt);
  }, 300_000);

  it('keeps the data until the retention has passed, then every service purges it once; a redelivery changes nothing', async () => {
    expect(disabledAt).toEqual(expect.any(String));
    const before = await tenantRows();
    expect(Object.entries(before).filter(([, rows]) => rows === 0)).toEqual([]);

    const due = Date.parse(disabledAt) + RETENTION_MS;
    await rpc.request(BackupScheduleRpc.dispatch, { now: new Date(due - 1).toISOString() });
    expect(await tenantRows()).toEqual(before);

    await rpc.request(BackupScheduleRpc.dispatch, { now: new Date(due).toISOString() });
    const gone = Object.fromEntries(TENANT_TABLES.map((table) => [table, 0]));
    await waitFor(tenantRows, (counts) => Object.values(counts).every((rows) => rows === 0), { timeoutMs: 30_000, what: 'every service to purge the tenant' });
    expect(await tenantRows()).toEqual(gone);

    // Kept: the audit trail (with the purge in it) and the tenant's row (disabled; its directory stays taken).
    const audit = await rpc.request<Page<AuditEventView>>(AuditRpc.list, { tenantId: CONTOSO.id, limit: 200 });
    expect(audit.items.map((event) => event.action)).toEqual(expect.arrayContaining(['tenant.purged', 'run.canceled']));
    const tenantRow = await stack.database.pool.query<{ disabled_at: Date }>('SELECT disabled_at FROM gateway.tenants WHERE id = $1', [CONTOSO.id]);
    expect(tenantRow.rows[0].disabled_at.toISOString()).toBe(disabledAt);
    expect(await api('GET', `/api/tenants/${CONTOSO.id}`, operator)).toMatchObject({ status: 403 });
    expect(await api('GET', `/api/tenants/${CONTOSO.id}`, admin)).toMatchObject({ status: 200 });

    // Redelivered (published again under a new message id): every consumer handles it, deletes nothing, rejects nothing.
    const event: TenantPurgeEvent = { tenantId: CONTOSO.id, disabledAt, purgedAt: new Date(due).toISOString() };
    await stack.nats.js.publish(stack.nats.names.tenantPurgeSubject(CONTOSO.id), JSON.stringify(event), { msgID: `redelivery-${CONTOSO.id}` });
    const { state } = await stack.nats.jsm.streams.info(stack.nats.names.tenantEventStream);
    expect(state.messages).toBe(2);
    for (const durable of PURGE_CONSUMERS) {
      await waitFor(
        () => stack.nats.jsm.consumers.info(stack.nats.names.tenantEventStream, durable),
        (info) => info.delivered.stream_seq === state.last_seq && info.num_ack_pending === 0 && info.num_pending === 0,
        { what: `${durable} to handle the redelivered purge` },
      );
    }
    expect(await tenantRows()).toEqual(gone);
    for (const schema of ['capture', 'restore', 'notifier', 'gateway']) {
      const { rows } = await stack.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.rejected_messages`);
      expect({ schema, rejected: rows[0].n }).toEqual({ schema, rejected: 0 });
    }
  }, 120_000);
});
