// The fleet end to end: gateway and run-service as processes, 300 tenants whose run histories are
// written straight into run-service's tables (mixed: every health, backups that succeeded, failed or
// were partial, drift, active runs, schedules), read back through GET /api/fleet with its filters,
// orders and pages; then fleet starts (one run per tenant, role-checked per tenant, de-duplicated on a
// second submission) and their batch.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import request, { type Response } from 'supertest';
import { CONTOSO, startStack, type Stack } from '@policyvault/testing';
import { RunStatus, RunType, TenantRole } from '@policyvault/contracts';

const TENANTS = 300;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const FLEET_USER = { id: randomUUID(), email: 'fleet-operator@msp.test' };
/** Tenants the fleet user only reads (every 20th): fleet starts are rejected there. */
const isReaderTenant = (index: number) => index % 20 === 19;

interface SeedRun {
  type: string;
  status: RunStatus;
  finishedAt: string | null;
  summary?: object;
  error?: object;
  succeededItems?: number;
}

/** Tenant i's history: every combination the overview must tell apart, with older runs the latest must win over. */
function historyOf(index: number): SeedRun[] {
  const runs: SeedRun[] = [];
  const health = ['ok', 'missing_permissions', 'no_consent', 'unreachable', null][index % 5];
  if (health) {
    runs.push({ type: 'tenant.verify_access', status: RunStatus.Succeeded, finishedAt: ago(5), summary: { health: 'ok', missingPermissions: [], grantedPermissions: [] } });
    const missing = health === 'missing_permissions' ? ['DeviceManagementApps.Read.All'] : [];
    runs.push({ type: 'tenant.verify_access', status: RunStatus.Succeeded, finishedAt: ago(1), summary: { health, missingPermissions: missing, grantedPermissions: [] } });
  }
  switch (index % 4) {
    case 0: // backed up yesterday (and ten days ago)
      runs.push({ type: RunType.BackupSetCreate, status: RunStatus.Succeeded, finishedAt: ago(10), summary: { backupSetId: setId(index, 0) }, succeededItems: 9 });
      runs.push({ type: RunType.BackupSetCreate, status: RunStatus.Succeeded, finishedAt: ago(1), summary: { backupSetId: setId(index, 1) }, succeededItems: 12 });
      break;
    case 1: // a scheduled backup three days ago, a failed one since
      runs.push({ type: RunType.BackupScheduleRun, status: RunStatus.Succeeded, finishedAt: ago(3), summary: { backupSetId: setId(index, 2) }, succeededItems: 20 });
      runs.push({ type: RunType.BackupSetCreate, status: RunStatus.Failed, finishedAt: ago(2), error: { code: 'graph_unavailable', message: 'x' } });
      break;
    case 2: // never a successful backup
      runs.push({ type: RunType.BackupSetCreate, status: RunStatus.Failed, finishedAt: ago(4), error: { code: 'tenant_throttled', message: 'x' } });
      runs.push({ type: RunType.InventorySync, status: RunStatus.Failed, finishedAt: ago(6), error: { code: 'graph_unavailable', message: 'x' } });
      break;
    case 3: // ten days old; yesterday's was only partial
      runs.push({ type: RunType.BackupSetCreate, status: RunStatus.Succeeded, finishedAt: ago(10), summary: { backupSetId: setId(index, 3) }, succeededItems: 7 });
      runs.push({ type: RunType.BackupSetCreate, status: RunStatus.Partial, finishedAt: ago(1), summary: { backupSetId: setId(index, 4) }, succeededItems: 5 });
      break;
  }
  if (index % 3 === 0) {
    runs.push({ type: 'drift.check', status: RunStatus.Succeeded, finishedAt: ago(4), summary: { driftStatus: 'none', added: 0, removed: 0, changed: 0, unchanged: 40 } });
    runs.push({ type: 'drift.check', status: RunStatus.Succeeded, finishedAt: ago(1), summary: { reportId: setId(index, 5), driftStatus: 'drifted', added: 0, removed: 1, changed: 3, unchanged: 36 } });
  } else if (index % 3 === 1) {
    runs.push({ type: 'drift.check', status: RunStatus.Succeeded, finishedAt: ago(2), summary: { reportId: setId(index, 6), driftStatus: 'none', added: 0, removed: 0, changed: 0, unchanged: 40 } });
  }
  if (index % 7 === 0) {
    runs.push({ type: RunType.PolicyCaptureSnapshot, status: RunStatus.Running, finishedAt: null });
    runs.push({ type: RunType.RestorePreview, status: RunStatus.Queued, finishedAt: null });
  }
  return runs;
}

/** A stable, valid uuid per (tenant, purpose). */
function setId(index: number, purpose: number): string {
  return `00000000-0000-4000-8000-${String(purpose).padStart(4, '0')}${String(index).padStart(8, '0')}`;
}

/** What the overview must say about tenant i. */
function expected(index: number) {
  const health = ['ok', 'missing_permissions', 'no_consent', 'unreachable', null][index % 5];
  const backup = [
    { at: ago(1), set: setId(index, 1), items: 12, type: RunType.BackupSetCreate },
    { at: ago(3), set: setId(index, 2), items: 20, type: RunType.BackupScheduleRun },
    null,
    { at: ago(10), set: setId(index, 3), items: 7, type: RunType.BackupSetCreate },
  ][index % 4];
  const failed = [null, { type: RunType.BackupSetCreate, at: ago(2), code: 'graph_unavailable' }, { type: RunType.BackupSetCreate, at: ago(4), code: 'tenant_throttled' }, null][index % 4];
  const drift = index % 3 === 0 ? 'drifted' : index % 3 === 1 ? 'none' : null;
  return { health, backup, failed, drift, activeRuns: index % 7 === 0 ? 2 : 0, schedules: index % 6 === 0 ? 1 : 0 };
}

type FleetItem = {
  tenantId: string;
  displayName: string;
  role: TenantRole;
  tags: string[];
  disabled: boolean;
  health: { status: string; missingPermissions: string[]; checkedAt: string } | null;
  lastSuccessfulBackup: { finishedAt: string; backupSetId: string; itemCount: number; runType: string } | null;
  lastFailedRun: { type: string; finishedAt: string; errorCode: string } | null;
  activeRuns: number;
  drift: { status: string; changed: number; removed: number; reportId: string | null } | null;
  schedules: { enabled: number; items: { name: string; lastOutcome: { status: string } | null }[] };
};

describe('the fleet (gateway + run-service processes, 300 tenants)', () => {
  let stack: Stack;
  let token: string;
  let contosoOwner: string;
  const tenantIds: string[] = [];
  const nameOf = (index: number) => `Fleet ${String(index).padStart(3, '0')}`;
  const indexOf = new Map<string, number>();

  async function seed(): Promise<void> {
    const pool = stack.database.pool;
    for (let index = 0; index < TENANTS; index += 1) {
      const id = randomUUID();
      tenantIds.push(id);
      indexOf.set(id, index);
    }
    await pool.query(`INSERT INTO gateway.users (id, email, display_name) VALUES ($1, $2, 'Fleet Operator')`, [FLEET_USER.id, FLEET_USER.email]);
    // Names in reverse index order, so that name order and insertion order differ.
    await pool.query(
      `INSERT INTO gateway.tenants (id, display_name, directory_id) SELECT id, name, gen_random_uuid() FROM unnest($1::uuid[], $2::text[]) AS t(id, name)`,
      [tenantIds, tenantIds.map((_, index) => nameOf(index))],
    );
    await pool.query(
      `INSERT INTO gateway.memberships (user_id, tenant_id, role) SELECT $1, id, role::gateway.membership_role FROM unnest($2::uuid[], $3::text[]) AS m(id, role)`,
      [FLEET_USER.id, tenantIds, tenantIds.map((_, index) => (isReaderTenant(index) ? TenantRole.Reader : TenantRole.Operator))],
    );
    const rows = tenantIds.flatMap((tenantId, index) =>
      historyOf(index).map((run) => ({
        id: randomUUID(),
        tenant_id: tenantId,
        type: run.type,
        status: run.status,
        finished_at: run.finishedAt,
        summary: run.summary ?? null,
        error: run.error ?? null,
        succeeded_items: run.succeededItems ?? 0,
      })),
    );
    await pool.query(
      `INSERT INTO run_service.runs (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status,
         succeeded_items, initiator_user_id, initiator_email, summary, error, queued_at, started_at, finished_at)
       SELECT id, tenant_id, 'directory', type, '{}', '{}', 'hash', id::text, status, succeeded_items, $2, $3, summary, error,
              coalesce(finished_at, now()) - interval '1 minute', coalesce(finished_at, now()) - interval '1 minute', finished_at
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tenant_id uuid, type text, status text, finished_at timestamptz,
         summary jsonb, error jsonb, succeeded_items int)`,
      [JSON.stringify(rows), FLEET_USER.id, FLEET_USER.email],
    );
    // Every sixth tenant: an enabled nightly schedule whose last slot ran a succeeded backup, and a disabled one.
    for (const [index, tenantId] of tenantIds.entries()) {
      if (index % 6 !== 0) continue;
      const [enabled, disabled, runId] = [randomUUID(), randomUUID(), randomUUID()];
      await pool.query(
        `INSERT INTO run_service.backup_schedules (id, tenant_id, tenant_directory_id, name, enabled, frequency, time_of_day, time_zone, keep_last, created_by_user_id, created_by_email)
         VALUES ($1, $3, 'directory', 'Nightly', true, 'daily', '02:00', 'UTC', 7, $4, $5), ($2, $3, 'directory', 'Old', false, 'daily', '03:00', 'UTC', 7, $4, $5)`,
        [enabled, disabled, tenantId, FLEET_USER.id, FLEET_USER.email],
      );
      await pool.query(
        `INSERT INTO run_service.runs (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status, initiator_user_id, initiator_email, finished_at)
         VALUES ($1, $2, 'directory', 'backup_schedule.run', '{}', '{}', 'hash', $5, 'canceled', $3, $4, now() - interval '30 days')`,
        [runId, tenantId, FLEET_USER.id, FLEET_USER.email, `schedule-run-${runId}`],
      );
      await pool.query(`INSERT INTO run_service.schedule_slots (schedule_id, slot_at, status, run_id) VALUES ($1, now() - interval '30 days', 'dispatched', $2)`, [enabled, runId]);
    }
    // Runs written straight into the table never ended through run-service: their tenants' fleet status
    // (kept as runs end) is filled the way the migration fills it, with the statement of the build.
    const sql = await import(pathToFileURL(join(process.cwd(), 'dist/apps/run-service/src/database/run-service.sql.js')).href);
    const kinds = await import(pathToFileURL(join(process.cwd(), 'dist/apps/run-service/src/fleet/fleet-run-kinds.js')).href);
    await sql.refreshFleetStatus(pool, kinds.FLEET_RUN_KINDS);
  }

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'gateway'] });
    token = await stack.token(FLEET_USER.email);
    contosoOwner = await stack.token('owner@contoso.test');
    await seed();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const get = (path: string, as = token) => request(stack.gatewayUrl).get(path).set('authorization', `Bearer ${as}`);
  const post = (body: object, as = token) => request(stack.gatewayUrl).post('/api/fleet/runs').set('authorization', `Bearer ${as}`).send(body);

  /** Every page of a fleet query. */
  async function all(query: string): Promise<{ items: FleetItem[]; total: number }> {
    const items: FleetItem[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const response: Response = await get(`/api/fleet?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      items.push(...response.body.items);
      total = response.body.total;
      cursor = response.body.nextCursor;
    } while (cursor);
    return { items, total };
  }

  it('shows every tenant with its health, last backup, last failure, active runs, drift and schedules', async () => {
    const { items, total } = await all('');
    expect(total).toBe(TENANTS);
    expect(items.map((item) => item.displayName)).toEqual(tenantIds.map((_, index) => nameOf(index)).sort());
    for (const item of items) {
      const index = indexOf.get(item.tenantId)!;
      const want = expected(index);
      expect({ index, health: item.health?.status ?? null }).toEqual({ index, health: want.health });
      if (want.health === 'missing_permissions') expect(item.health!.missingPermissions).toEqual(['DeviceManagementApps.Read.All']);
      expect({ index, backup: item.lastSuccessfulBackup && { at: item.lastSuccessfulBackup.finishedAt, set: item.lastSuccessfulBackup.backupSetId, items: item.lastSuccessfulBackup.itemCount, type: item.lastSuccessfulBackup.runType } }).toEqual({ index, backup: want.backup });
      expect({ index, failed: item.lastFailedRun && { type: item.lastFailedRun.type, at: item.lastFailedRun.finishedAt, code: item.lastFailedRun.errorCode } }).toEqual({ index, failed: want.failed });
      expect({ index, drift: item.drift?.status ?? null, active: item.activeRuns, schedules: item.schedules.enabled }).toEqual({
        index,
        drift: want.drift,
        active: want.activeRuns,
        schedules: want.schedules,
      });
      expect(item).toMatchObject({ role: isReaderTenant(index) ? TenantRole.Reader : TenantRole.Operator, tags: [], disabled: false });
    }
    const drifted = items.find((item) => item.drift?.status === 'drifted')!;
    expect(drifted.drift).toMatchObject({ changed: 3, removed: 1, reportId: setId(indexOf.get(drifted.tenantId)!, 5) });
    const scheduled = items.find((item) => item.schedules.enabled === 1)!;
    expect(scheduled.schedules.items).toEqual([expect.objectContaining({ name: 'Nightly', lastOutcome: expect.objectContaining({ status: RunStatus.Canceled }) })]);
  });

  it('filters by health, drift and no successful backup since, alone and together', async () => {
    const indexes = (items: FleetItem[]) => items.map((item) => indexOf.get(item.tenantId)!).sort((a, b) => a - b);
    const every = (predicate: (index: number) => boolean) => tenantIds.map((_, index) => index).filter(predicate);
    const health = (index: number) => expected(index).health ?? 'unknown';
    const drift = (index: number) => expected(index).drift ?? 'unknown';
    const since = ago(2);
    const noBackupSince = (index: number) => {
      const backup = expected(index).backup;
      return backup === null || backup.at < since;
    };
    for (const value of ['ok', 'missing_permissions', 'no_consent', 'unreachable', 'unknown']) {
      expect(indexes((await all(`health=${value}`)).items)).toEqual(every((index) => health(index) === value));
    }
    for (const value of ['none', 'drifted', 'unknown']) {
      expect(indexes((await all(`drift=${value}`)).items)).toEqual(every((index) => drift(index) === value));
    }
    expect(indexes((await all(`noSuccessfulBackupSince=${encodeURIComponent(since)}`)).items)).toEqual(every(noBackupSince));
    const combined = await all(`health=no_consent&drift=drifted&noSuccessfulBackupSince=${encodeURIComponent(since)}`);
    expect(combined.total).toBe(combined.items.length);
    expect(indexes(combined.items)).toEqual(every((index) => health(index) === 'no_consent' && drift(index) === 'drifted' && noBackupSince(index)));
    expect(combined.items.length).toBeGreaterThan(0);
  });

  it('orders by last backup, health and name, and pages without gaps or repeats', async () => {
    const byBackup = (await all('sort=lastBackupAt')).items;
    const backupAt = (item: FleetItem) => item.lastSuccessfulBackup?.finishedAt ?? '';
    expect(byBackup.map(backupAt)).toEqual(byBackup.map(backupAt).sort());
    expect(backupAt(byBackup[0])).toBe('');

    const rank = { unreachable: 0, no_consent: 1, missing_permissions: 2, unknown: 3, ok: 4 } as Record<string, number>;
    const byHealth = (await all('sort=health')).items.map((item) => rank[item.health?.status ?? 'unknown']);
    expect(byHealth).toEqual([...byHealth].sort((a, b) => a - b));

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const response: Response = await get(`/api/fleet?sort=-name&limit=70${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      expect(response.body.total).toBe(TENANTS);
      pages.push(...response.body.items.map((item: FleetItem) => item.displayName));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(tenantIds.map((_, index) => nameOf(index)).sort().reverse());
  });

  it('shows a member only their own tenants', async () => {
    const response = await get('/api/fleet', contosoOwner).expect(200);
    expect(response.body).toMatchObject({ total: 1, nextCursor: null });
    expect(response.body.items.map((item: FleetItem) => item.tenantId)).toEqual([CONTOSO.id]);
    const stranger = await get('/api/fleet', await stack.token('stranger@nowhere.test')).expect(200);
    expect(stranger.body).toEqual({ items: [], total: 0, nextCursor: null });
  });

  it.each([
    ['health=bogus', /health: must be one of the following values/],
    ['drift=maybe', /drift: must be one of the following values/],
    ['noSuccessfulBackupSince=yesterday', /noSuccessfulBackupSince: must be a valid ISO 8601/],
    ['sort=size', /sort: must be one of the following values/],
    ['limit=0', /limit: must not be less than 1/],
    ['cursor=not-ours', /cursor: is not a cursor this API returned/],
    ['unknown=1', /property unknown should not exist/],
  ])('answers 400 naming the field for %s', async (query, message) => {
    const response = await get(`/api/fleet?${query}`).expect(400);
    expect([response.body.message].flat().join('; ')).toMatch(message);
  });

  describe('fleet runs', () => {
    const chosen = () => tenantIds.slice(0, 40);

    it('starts one run per tenant, rejects tenants where the role is too low, and de-duplicates a second submission', async () => {
      const body = { type: RunType.InventorySync, target: {}, scope: {}, tenantIds: chosen() };
      const first = await post(body).expect(201);
      const readers = chosen().filter((_, index) => isReaderTenant(index));
      expect(first.headers.location).toBe(`/api/fleet/batches/${first.body.id}`);
      expect(first.body.counts).toEqual({ started: 40 - readers.length, reused: 0, rejected: readers.length });
      for (const item of first.body.items) {
        if (readers.includes(item.tenantId)) expect(item).toMatchObject({ outcome: 'rejected', runId: null, reasonCode: 'insufficient_role' });
        else expect(item).toMatchObject({ outcome: 'started', runId: expect.any(String), reasonCode: null });
      }
      const { rows } = await stack.database.pool.query(
        `SELECT tenant_id, count(*)::int AS runs FROM run_service.runs WHERE type = 'inventory.sync' AND status = 'queued' GROUP BY tenant_id`,
      );
      expect(rows).toHaveLength(40 - readers.length);
      expect(rows.every((row: { runs: number }) => row.runs === 1)).toBe(true);

      const second = await post(body).expect(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect(second.body.counts).toEqual({ started: 0, reused: 40 - readers.length, rejected: readers.length });
      const runIds = (response: typeof first) => response.body.items.map((item: { runId: string | null }) => item.runId);
      expect(runIds(second)).toEqual(runIds(first));
      const { rows: after } = await stack.database.pool.query(`SELECT count(*)::int AS runs FROM run_service.runs WHERE type = 'inventory.sync' AND status = 'queued'`);
      expect(after[0].runs).toBe(40 - readers.length);
    });

    it('lists a batch with the status of each run and counts per status, page by page', async () => {
      const tenants = tenantIds.slice(100, 130);
      const created = await post({ type: RunType.BackupSetCreate, target: { name: 'Fleet backup' }, scope: {}, tenantIds: tenants }).expect(201);
      const started = created.body.items.filter((item: { runId: string | null }) => item.runId);
      const finished = started.slice(0, 4).map((item: { runId: string }) => item.runId);
      await stack.database.pool.query(`UPDATE run_service.runs SET status = 'succeeded', finished_at = now() WHERE id = ANY($1::uuid[])`, [finished]);
      await stack.database.pool.query(`UPDATE run_service.runs SET status = 'failed', finished_at = now(), error = '{"code":"graph_unavailable","message":"x"}' WHERE id = $1`, [started[4].runId]);

      const listed: { tenantId: string; status: string | null; outcome: string; errorCode: string | null }[] = [];
      let cursor: string | null = null;
      let body: Record<string, unknown> = {};
      do {
        const response: Response = await get(`/api/fleet/batches/${created.body.id}?limit=12${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        body = response.body;
        listed.push(...response.body.items);
        cursor = response.body.nextCursor;
      } while (cursor);
      const rejected = created.body.counts.rejected;
      expect(body).toMatchObject({
        id: created.body.id,
        type: RunType.BackupSetCreate,
        target: { name: 'Fleet backup' },
        createdBy: { userId: FLEET_USER.id, email: FLEET_USER.email },
        tenants: 30,
        counts: { queued: started.length - 5, running: 0, succeeded: 4, partial: 0, failed: 1, canceled: 0, rejected },
        done: false,
      });
      expect(listed.map((item) => item.tenantId)).toEqual([...tenants].sort());
      expect(listed.find((item) => item.tenantId === started[4].tenantId)).toMatchObject({ status: 'failed', errorCode: 'graph_unavailable' });
      expect(listed.filter((item) => item.outcome === 'rejected').every((item) => item.status === null)).toBe(true);

      // Another user sees nothing of it: its tenants are not theirs (403), an unknown batch is a 404.
      await get(`/api/fleet/batches/${created.body.id}`, contosoOwner).expect(403);
      await get(`/api/fleet/batches/${randomUUID()}`).expect(404);
    });

    it('starts by filter: only the tenants that match', async () => {
      const created = await post({ type: RunType.BackupSetCreate, target: { name: 'Unreachable check' }, scope: {}, filter: { health: 'unreachable', drift: 'drifted' } }).expect(201);
      const want = tenantIds.filter((_, index) => expected(index).health === 'unreachable' && expected(index).drift === 'drifted');
      expect(created.body.items.map((item: { tenantId: string }) => item.tenantId).sort()).toEqual([...want].sort());
    });

    it.each([
      ['an unsupported type', { type: RunType.RestoreExecute, target: {}, scope: {}, tenantIds: [CONTOSO.id] }, 400, /type: must be one of the following values: inventory.sync, backup_set.create/],
      ['both tenantIds and filter', { type: RunType.InventorySync, tenantIds: [CONTOSO.id], filter: {} }, 400, /give exactly one/],
      ['neither tenantIds nor filter', { type: RunType.InventorySync }, 400, /give exactly one/],
      ['a bad target', { type: RunType.BackupSetCreate, target: {}, scope: {}, tenantIds: [CONTOSO.id] }, 400, /target\.name/],
      ['a bad filter', { type: RunType.InventorySync, filter: { health: 'great' } }, 400, /filter\.health: must be one of/],
      ['a filter matching nothing', { type: RunType.InventorySync, filter: { tag: 'no-such-tag' } }, 400, /matches no tenant/],
      ['a tenant the caller cannot see', { type: RunType.InventorySync, tenantIds: [CONTOSO.id] }, 403, /not a member of these tenants/],
    ])('answers clearly for %s', async (_, body, status, message) => {
      const response = await post(body).expect(status);
      expect([response.body.message].flat().join('; ')).toMatch(message);
    });
  });
});
