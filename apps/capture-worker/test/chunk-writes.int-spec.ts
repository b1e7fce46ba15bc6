// A capture chunk's writes against real Postgres: a chunk's versions in one statement (with the list entries their
// reads started from) and its backup items in one insert, each entry with the outcome it would have had alone
// (captured / unchanged / reverted / not in the tenant; already in the set), and the same again on a redelivery
// (no duplicate versions, the same items).
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { serviceDataSourceOptions } from '@policyvault/platform';
import { DataSource } from 'typeorm';
import { CAPTURE_DATABASE } from '../src/database/capture.schema.js';
import { DELETE_UNREFERENCED_VERSIONS } from '../src/database/capture.sql.js';
import { BackupSetEntity } from '../src/store/backup-set.entity.js';
import { BackupSetsRepository } from '../src/store/backup-sets.repository.js';
import { PolicyVersionsRepository } from '../src/store/policy-versions.repository.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

describe('capture chunk writes (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let versions: PolicyVersionsRepository;
  let sets: BackupSetsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.url, CAPTURE_DATABASE, { poolSize: 4 })).initialize();
    versions = new PolicyVersionsRepository(dataSource);
    sets = new BackupSetsRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function policy(tenantId = TENANT): Promise<string> {
    const id = randomUUID();
    await database.pool.query(
      `INSERT INTO capture.policies (id, tenant_id, policy_type, graph_id, display_name, first_seen_at, last_seen_at) VALUES ($1, $2, 'deviceConfiguration', $3, 'Listed', now(), now())`,
      [id, tenantId, randomUUID()],
    );
    return id;
  }

  const versionCount = async (policyId: string) => Number((await database.pool.query(`SELECT count(*) FROM capture.policy_versions WHERE policy_id = $1`, [policyId])).rows[0].count);
  const latest = async (policyId: string) => (await database.pool.query(`SELECT latest_version_id, display_name FROM capture.policies WHERE id = $1`, [policyId])).rows[0];

  it('records a chunk of snapshots in one statement with each outcome as alone, again the same on a redelivery', async () => {
    const [fresh, same, back, foreign] = [await policy(), await policy(), await policy(), await policy(OTHER_TENANT)];
    const earlierRun = randomUUID();
    const sameVersion = await versions.record(TENANT, same, { v: 1 }, 'Same', earlierRun);
    const backVersion = await versions.record(TENANT, back, { v: 1 }, 'Back', earlierRun);
    await versions.record(TENANT, back, { v: 2 }, 'Back', earlierRun);

    const run = randomUUID();
    const chunk = [
      { policyId: fresh, snapshot: { v: 1, name: 'fresh' }, displayName: 'Fresh' },
      { policyId: same, snapshot: { v: 1 }, displayName: 'Same renamed' },
      { policyId: back, snapshot: { v: 1 }, displayName: 'Back' },
      { policyId: foreign, snapshot: { v: 1 }, displayName: 'Foreign' },
    ];
    const recorded = await versions.recordAll(TENANT, run, chunk);
    expect(recorded.map((version) => version?.outcome)).toEqual(['captured', 'unchanged', 'reverted', undefined]);
    expect(recorded[1]?.versionId).toBe(sameVersion?.versionId);
    expect(recorded[2]?.versionId).toBe(backVersion?.versionId);
    expect(await latest(same)).toEqual({ latest_version_id: sameVersion?.versionId, display_name: 'Same renamed' });
    expect((await latest(back)).latest_version_id).toBe(backVersion?.versionId);
    expect((await latest(fresh)).latest_version_id).toBe(recorded[0]?.versionId);
    expect(await versionCount(foreign)).toBe(0);

    // A redelivery of the same run: the same versions, "captured" where this run stored them, nothing stored twice.
    const again = await versions.recordAll(TENANT, run, chunk);
    expect(again.map((version) => version?.versionId)).toEqual(recorded.map((version) => version?.versionId));
    expect(again.map((version) => version?.outcome)).toEqual(['captured', 'unchanged', 'unchanged', undefined]);
    expect([await versionCount(fresh), await versionCount(same), await versionCount(back)]).toEqual([1, 1, 2]);
    await expect(versions.recordAll(TENANT, run, [chunk[0], chunk[0]])).rejects.toThrow('recordAll takes one snapshot per policy');
  });

  it('records the list entry a complete read started from with the version it gave; without one, leaves it as it was', async () => {
    const [listedRead, unlisted, gone] = [await policy(), await policy(), await policy(OTHER_TENANT)];
    const entry = async (policyId: string) =>
      (await database.pool.query(`SELECT list_entry_hash, list_entry_version_id, full_read_at, reused_since_full_read FROM capture.policies WHERE id = $1`, [policyId])).rows[0];
    const earlier = new Date('2026-01-01T00:00:00Z');
    await database.pool.query(`UPDATE capture.policies SET list_entry_hash = 'old', full_read_at = $2, reused_since_full_read = 3 WHERE id = ANY($1::uuid[])`, [[listedRead, unlisted, gone], earlier]);
    const before = Date.now();

    const recorded = await versions.recordAll(TENANT, randomUUID(), [
      { policyId: listedRead, snapshot: { v: 'read' }, displayName: 'Read', listEntryHash: 'entry-1' },
      { policyId: unlisted, snapshot: { v: 'by id' }, displayName: 'By id' },
      { policyId: gone, snapshot: { v: 'other tenant' }, displayName: 'Other', listEntryHash: 'entry-2' },
    ]);
    const read = await entry(listedRead);
    expect(read).toMatchObject({ list_entry_hash: 'entry-1', list_entry_version_id: recorded[0]!.versionId, reused_since_full_read: 0 });
    expect(read.full_read_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await entry(unlisted)).toEqual({ list_entry_hash: 'old', list_entry_version_id: null, full_read_at: earlier, reused_since_full_read: 3 });
    expect(await entry(gone)).toEqual({ list_entry_hash: 'old', list_entry_version_id: null, full_read_at: earlier, reused_since_full_read: 3 });
  });

  it('agrees with concurrent chunks capturing the same policies: one version per content, the same id for all', async () => {
    const policies = [await policy(), await policy(), await policy()];
    const chunk = (order: string[]) => order.map((policyId) => ({ policyId, snapshot: { content: policyId }, displayName: 'Concurrent' }));
    const results = await Promise.all([
      versions.recordAll(TENANT, randomUUID(), chunk(policies)),
      versions.recordAll(TENANT, randomUUID(), chunk([...policies].reverse())),
      versions.recordAll(TENANT, randomUUID(), chunk(policies)),
    ]);
    const ids = results.map((result, index) => (index === 1 ? [...result].reverse() : result).map((version) => version?.versionId));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    for (const policyId of policies) expect(await versionCount(policyId)).toBe(1);
    // Exactly one of the three stored each version.
    for (const position of [0, 1, 2]) {
      const outcomes = results.map((result, index) => (index === 1 ? [...result].reverse() : result)[position]?.outcome);
      expect(outcomes.filter((outcome) => outcome === 'captured')).toHaveLength(1);
    }
  });

  it("creates a run's set once: a redelivery gets the same set, another tenant's run id is refused, and finishing keeps the first end", async () => {
    const run = randomUUID();
    const created = await sets.createForRun(TENANT, run, 'Once', true);
    expect(created).toMatchObject({ tenantId: TENANT, name: 'Once', status: 'capturing', includeFoundations: true, createdByRunId: run, scheduleId: null, completedAt: null });
    expect(created.createdAt).toBeInstanceOf(Date);
    // Hydrated as TypeORM's find gives it.
    expect(created).toEqual(await dataSource.getRepository(BackupSetEntity).findOneByOrFail({ id: created.id }));
    expect(await sets.createForRun(TENANT, run, 'Redelivered', false)).toEqual(created);
    await expect(sets.createForRun(OTHER_TENANT, run, 'Foreign', false)).rejects.toThrow('the backup set of this run belongs to another tenant');
    expect(Number((await database.pool.query(`SELECT count(*) FROM capture.backup_sets WHERE created_by_run_id = $1`, [run])).rows[0].count)).toBe(1);

    await sets.finish(OTHER_TENANT, created.id, 'failed');
    expect((await sets.find(TENANT, created.id))?.status).toBe('capturing');
    await sets.finish(TENANT, created.id, 'partial');
    const finished = await sets.find(TENANT, created.id);
    await sets.finish(TENANT, created.id, 'complete');
    expect(await sets.find(TENANT, created.id)).toEqual({ ...finished, status: 'complete' });
    expect(finished?.completedAt).toBeInstanceOf(Date);
  });

  it("finds the run's set when a concurrent delivery commits it while the insert waits", async () => {
    const run = randomUUID();
    const first = await database.pool.connect();
    try {
      await first.query('BEGIN');
      const id = randomUUID();
      await first.query(
        `INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, created_at) VALUES ($1, $2, 'First', 'capturing', false, $3, clock_timestamp())`,
        [id, TENANT, run],
      );
      const second = sets.createForRun(TENANT, run, 'Second', false);
      // The second delivery's insert waits on the run's unique index (Postgres shows it waiting) until the first commits.
      const waiting = async () =>
        Number((await database.pool.query(`SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].waiting);
      for (let attempt = 0; attempt < 100 && (await waiting()) === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await waiting()).toBe(1);
      await first.query('COMMIT');
      expect(await second).toMatchObject({ id, name: 'First', createdByRunId: run });
    } finally {
      first.release();
    }
  });

  it("reads a set's items with the run that stored each version", async () => {
    const run = randomUUID();
    const set = await sets.createForRun(TENANT, run, 'Items', false);
    const [mine, earlier] = [await policy(), await policy()];
    const earlierRun = randomUUID();
    const earlierVersion = await versions.record(TENANT, earlier, { v: 'earlier' }, 'Earlier', earlierRun);
    const [mineVersion] = await versions.recordAll(TENANT, run, [{ policyId: mine, snapshot: { v: 'mine' }, displayName: 'Mine' }]);
    const added = await sets.addItems(TENANT, set.id, run, [
      { policyId: mine, policyVersionId: mineVersion!.versionId, isFoundation: false, referenceNames: {} },
      { policyId: earlier, policyVersionId: earlierVersion!.versionId, isFoundation: false, referenceNames: {} },
    ]);
    const items = await sets.itemsByPolicy(TENANT, set.id);
    expect(Object.fromEntries(items)).toEqual({
      [mine]: { backupItemId: added[0].backupItemId, policyVersionId: mineVersion!.versionId, addedByRunId: run, versionCapturedByRunId: run },
      [earlier]: { backupItemId: added[1].backupItemId, policyVersionId: earlierVersion!.versionId, addedByRunId: run, versionCapturedByRunId: earlierRun },
    });
    expect((await sets.itemsByPolicy(OTHER_TENANT, set.id)).size).toBe(0);
  });

  it('adds a chunk of items to a set in one insert; a policy already in the set comes back as it is', async () => {
    const run = randomUUID();
    const set = await sets.createForRun(TENANT, run, 'Chunked', false);
    const policies = [await policy(), await policy(), await policy()];
    const stored = await versions.recordAll(TENANT, run, policies.map((policyId) => ({ policyId, snapshot: { p: policyId }, displayName: 'P' })));
    const otherRun = randomUUID();
    const first = await sets.addItem(TENANT, { backupSetId: set.id, runId: otherRun, policyId: policies[1], policyVersionId: stored[1]!.versionId, isFoundation: false, referenceNames: {} });
    const items = policies.map((policyId, index) => ({ policyId, policyVersionId: stored[index]!.versionId, isFoundation: index === 2, referenceNames: { group: { g1: 'Group' } } }));

    const added = await sets.addItems(TENANT, set.id, run, items);
    expect(added[1]).toEqual(first);
    expect(added.map((item) => item.addedByRunId)).toEqual([run, otherRun, run]);
    // A redelivery gets the same items back.
    expect(await sets.addItems(TENANT, set.id, run, items)).toEqual(added);
    const rows = (await database.pool.query(`SELECT id, policy_id, is_foundation, reference_names FROM capture.backup_items WHERE backup_set_id = $1 ORDER BY added_at, id`, [set.id])).rows;
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row.policy_id === policies[2])).toMatchObject({ id: added[2].backupItemId, is_foundation: true, reference_names: { group: { g1: 'Group' } } });
    // Not this tenant's set: nothing is added.
    await expect(sets.addItems(OTHER_TENANT, set.id, run, items.slice(0, 1))).rejects.toThrow('the backup item was neither inserted nor found');
  });

  it('keeps references to a version within its policy, and retention deletes only versions nothing points at', async () => {
    const [one, two] = [await policy(), await policy()];
    const run = randomUUID();
    const [first] = await versions.recordAll(TENANT, run, [{ policyId: one, snapshot: { v: 1 }, displayName: 'One' }]);
    const [second] = await versions.recordAll(TENANT, run, [{ policyId: one, snapshot: { v: 2 }, displayName: 'One' }]);
    const [third] = await versions.recordAll(TENANT, run, [{ policyId: one, snapshot: { v: 3 }, displayName: 'One' }]);
    const set = await sets.createForRun(TENANT, run, 'References', false);

    // Another policy's version: refused as a backup item of this policy, and as this policy's latest version.
    await expect(
      sets.addItems(TENANT, set.id, run, [{ policyId: two, policyVersionId: first!.versionId, isFoundation: false, referenceNames: {} }]),
    ).rejects.toThrow(/backup_items_policy_version/);
    await expect(database.pool.query(`UPDATE capture.policies SET latest_version_id = $1 WHERE id = $2`, [first!.versionId, two])).rejects.toThrow(
      /policies_latest_version/,
    );
    await sets.addItems(TENANT, set.id, run, [{ policyId: one, policyVersionId: first!.versionId, isFoundation: false, referenceNames: {} }]);

    // The first is in a set, the third is the latest: only the second goes.
    const deleted = await database.pool.query(DELETE_UNREFERENCED_VERSIONS, [TENANT, [first!.versionId, second!.versionId, third!.versionId]]);
    expect(deleted.rows.map((row) => row.id)).toEqual([second!.versionId]);
    expect((await latest(one)).latest_version_id).toBe(third!.versionId);
    expect(await versionCount(one)).toBe(2);
    // A version still referenced cannot be deleted behind retention's back either.
    await expect(database.pool.query(`DELETE FROM capture.policy_versions WHERE id = $1`, [third!.versionId])).rejects.toThrow(/policies_latest_version/);
  });
});
