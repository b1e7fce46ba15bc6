// A type's listing recorded against real Postgres in one statement: the inventory (new, seen again, missing,
// back from missing), a repeated Graph id, an empty listing, and the backup run's selection part recorded once.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';
import { serviceDataSourceOptions } from '@policyvault/platform';
import { DataSource } from 'typeorm';
import { CAPTURE_DATABASE } from '../src/database/capture.schema.js';
import { BackupSetSelectionsRepository } from '../src/store/backup-set-selections.repository.js';
import { BackupSetsRepository } from '../src/store/backup-sets.repository.js';
import { PoliciesRepository, type RecordedListing } from '../src/store/policies.repository.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
const TYPE = 'deviceConfiguration';

describe('a listing recorded in one statement (real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let policies: PoliciesRepository;
  let sets: BackupSetsRepository;
  let selections: BackupSetSelectionsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(serviceDataSourceOptions(database.url, CAPTURE_DATABASE, { poolSize: 4 })).initialize();
    policies = new PoliciesRepository(dataSource);
    sets = new BackupSetsRepository(dataSource);
    selections = new BackupSetSelectionsRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const inventory = async (tenantId: string, policyType = TYPE) =>
    (
      await database.pool.query<{ graph_id: string; display_name: string; missing: boolean; last_seen_at: Date }>(
        `SELECT graph_id, display_name, missing_since IS NOT NULL AS missing, last_seen_at FROM capture.policies WHERE tenant_id = $1 AND policy_type = $2 ORDER BY graph_id`,
        [tenantId, policyType],
      )
    ).rows;
  const listed = (...entries: Array<[string, string]>) => entries.map(([graphId, displayName]) => ({ graphId, displayName }));

  it('adds new objects, marks known ones seen and the unlisted missing, and answers the policies in listing order', async () => {
    const first = await policies.recordListing(TENANT, TYPE, listed(['b', 'Bee'], ['a', 'Ay'], ['c', 'Sea']), new Date('2026-12-01T10:00:00Z'));
    expect(first.policies.map((policy) => [policy.graphId, policy.displayName, policy.tenantId, policy.policyType])).toEqual([
      ['b', 'Bee', TENANT, TYPE],
      ['a', 'Ay', TENANT, TYPE],
      ['c', 'Sea', TENANT, TYPE],
    ]);
    expect(first).toMatchObject({ added: 3, missing: 0, selectionRecorded: false });
    // Another tenant's and another type's rows are never touched.
    await policies.recordListing(OTHER_TENANT, TYPE, listed(['a', 'Theirs']), new Date('2026-12-01T10:00:00Z'));
    await policies.recordListing(TENANT, 'deviceCompliancePolicy', listed(['z', 'Other type']), new Date('2026-12-01T10:00:00Z'));

    // Later: a renamed, c gone, d new; a repeated id is answered each time listed, stored once (its last name).
    const second = await policies.recordListing(TENANT, TYPE, listed(['a', 'Ay 2'], ['d', 'Dee'], ['b', 'Bee'], ['a', 'Ay 3']), new Date('2026-12-01T11:00:00Z'));
    expect(second.policies.map((policy) => policy.graphId)).toEqual(['a', 'd', 'b', 'a']);
    expect(second.policies[0]).toBe(second.policies[3]);
    expect(second.policies.map((policy) => policy.id)).toEqual([first.policies[1].id, expect.any(String), first.policies[0].id, first.policies[1].id]);
    expect(second).toMatchObject({ added: 1, missing: 1 });
    expect((await inventory(TENANT)).map(({ graph_id, display_name, missing }) => [graph_id, display_name, missing])).toEqual([
      ['a', 'Ay 3', false],
      ['b', 'Bee', false],
      ['c', 'Sea', true],
      ['d', 'Dee', false],
    ]);
    expect((await inventory(OTHER_TENANT)).map(({ display_name, missing }) => [display_name, missing])).toEqual([['Theirs', false]]);
    expect((await inventory(TENANT, 'deviceCompliancePolicy')).map(({ missing }) => missing)).toEqual([false]);

    // c listed again: no longer missing; an empty listing then marks every one of the type missing.
    const back = await policies.recordListing(TENANT, TYPE, listed(['c', 'Sea']), new Date('2026-12-01T12:00:00Z'));
    expect(back).toMatchObject({ added: 0, missing: 3 });
    expect((await inventory(TENANT)).map(({ graph_id, missing }) => [graph_id, missing])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
      ['d', true],
    ]);
    const empty = await policies.recordListing(TENANT, TYPE, [], new Date('2026-12-01T13:00:00Z'));
    expect(empty).toEqual({ policies: [], added: 0, missing: 1, selectionRecorded: false });
    expect((await inventory(TENANT)).every(({ missing }) => missing)).toBe(true);
  });

  it('keeps the latest seen time when an older listing finishes after a newer one', async () => {
    const tenantId = randomUUID();
    await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay']), new Date('2026-12-01T11:00:00Z'));
    await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay']), new Date('2026-12-01T10:00:00Z'));
    expect((await inventory(tenantId))[0].last_seen_at.toISOString()).toBe('2026-12-01T11:00:00.000Z');
  });

  it('an older listing finishing after a newer one does not mark missing what the newer one saw', async () => {
    const tenantId = randomUUID();
    await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay'], ['b', 'Bee']), new Date('2026-12-01T10:00:00Z'));
    // b created at 10:59: a listing that began at 11:00 saw it; one that began at 10:30 (without b) ends after it.
    await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay'], ['b', 'Bee']), new Date('2026-12-01T11:00:00Z'));
    const older = await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay']), new Date('2026-12-01T10:30:00Z'));
    expect(older.missing).toBe(0);
    expect((await inventory(tenantId)).map(({ graph_id, missing }) => [graph_id, missing])).toEqual([
      ['a', false],
      ['b', false],
    ]);
  });

  it("records a run's empty listings of several types in one statement: their policies missing, each part once", async () => {
    const tenantId = randomUUID();
    const runId = randomUUID();
    const set = await sets.createForRun(tenantId, runId, 'Empty listings', false);
    await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay'], ['b', 'Bee']), new Date('2026-12-01T10:00:00Z'));
    await policies.recordListing(tenantId, 'deviceCompliancePolicy', listed(['c', 'Sea']), new Date('2026-12-01T10:00:00Z'));
    await policies.recordListing(tenantId, 'deviceCompliancePolicy', listed(['d', 'Dee']), new Date('2026-12-01T12:00:00Z'));
    await policies.recordListing(OTHER_TENANT, 'deviceCompliancePolicy', listed(['c', 'Theirs']), new Date('2026-12-01T10:00:00Z'));
    // Another delivery of the run recorded the compliance part first (with a policy): that one stays the selection.
    const [c] = (await policies.recordListing(tenantId, 'deviceCompliancePolicy', listed(['c', 'Sea']), new Date('2026-12-01T10:00:00Z'))).policies;
    await selections.record(tenantId, runId, set.id, 'type:deviceCompliancePolicy', { policyIds: [c.id], problem: null });

    const recorded = await policies.recordEmptyListings(tenantId, runId, set.id, [
      { policyType: TYPE, part: `type:${TYPE}`, seenAt: new Date('2026-12-01T11:00:00Z') },
      { policyType: 'deviceCompliancePolicy', part: 'type:deviceCompliancePolicy', seenAt: new Date('2026-12-01T11:00:00Z') },
      { policyType: 'windowsDriverUpdateProfile', part: 'type:windowsDriverUpdateProfile', seenAt: new Date('2026-12-01T11:00:00Z') },
    ]);
    expect([...recorded].sort()).toEqual([`type:${TYPE}`, 'type:windowsDriverUpdateProfile']);
    expect(await selections.recorded(tenantId, runId, `type:${TYPE}`)).toEqual({ policyIds: [], problem: null });
    expect(await selections.recorded(tenantId, runId, 'type:windowsDriverUpdateProfile')).toEqual({ policyIds: [], problem: null });
    expect((await selections.recorded(tenantId, runId, 'type:deviceCompliancePolicy')).policyIds).toEqual([c.id]);
    // Both types' policies missing, but d: a listing that began after these (12:00) saw it. Another tenant's untouched.
    expect((await inventory(tenantId)).map(({ graph_id, missing }) => [graph_id, missing])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect((await inventory(tenantId, 'deviceCompliancePolicy')).map(({ graph_id, missing }) => [graph_id, missing])).toEqual([
      ['c', true],
      ['d', false],
    ]);
    expect((await inventory(OTHER_TENANT, 'deviceCompliancePolicy')).map(({ missing }) => missing)).toEqual([false]);
    // A redelivery records nothing again.
    expect(await policies.recordEmptyListings(tenantId, runId, set.id, [{ policyType: TYPE, part: `type:${TYPE}`, seenAt: new Date('2026-12-01T11:00:00Z') }])).toEqual(new Set());
    expect(await policies.recordEmptyListings(tenantId, runId, set.id, [])).toEqual(new Set());
  });

  it("records the listing as the run's selection part once: a second delivery's listing is not the selection", async () => {
    const tenantId = randomUUID();
    const runId = randomUUID();
    const set = await sets.createForRun(tenantId, runId, 'Selection', false);
    const part = `type:${TYPE}`;
    const first = await policies.recordListing(tenantId, TYPE, listed(['b', 'Bee'], ['a', 'Ay']), new Date(), { runId, backupSetId: set.id, part });
    expect(first.selectionRecorded).toBe(true);
    expect(await selections.recorded(tenantId, runId, part)).toEqual({ policyIds: first.policies.map((policy) => policy.id), problem: null });

    // A redelivery lists again (Graph now has c too): the inventory follows Graph, the selection stays the first.
    const again = await policies.recordListing(tenantId, TYPE, listed(['c', 'Sea'], ['a', 'Ay'], ['b', 'Bee']), new Date(), { runId, backupSetId: set.id, part });
    expect(again).toMatchObject({ selectionRecorded: false, added: 1 });
    expect((await selections.recorded(tenantId, runId, part)).policyIds).toEqual(first.policies.map((policy) => policy.id));

    // An empty listing is a selection part with no policies.
    const emptyPart = 'type:deviceCompliancePolicy';
    const empty = await policies.recordListing(tenantId, 'deviceCompliancePolicy', [], new Date(), { runId, backupSetId: set.id, part: emptyPart });
    expect(empty.selectionRecorded).toBe(true);
    expect(await selections.recorded(tenantId, runId, emptyPart)).toEqual({ policyIds: [], problem: null });
  });

  it('records the same part once when two deliveries list at the same time', async () => {
    const tenantId = randomUUID();
    const runId = randomUUID();
    const set = await sets.createForRun(tenantId, runId, 'Concurrent', false);
    const part = `type:${TYPE}`;
    const results = await Promise.all(
      [listed(['a', 'Ay'], ['b', 'Bee']), listed(['b', 'Bee'], ['a', 'Ay'])].map((entries) => policies.recordListing(tenantId, TYPE, entries, new Date(), { runId, backupSetId: set.id, part })),
    );
    expect(results.map((result) => result.selectionRecorded).sort()).toEqual([false, true]);
    const winner = results.find((result) => result.selectionRecorded)!;
    expect((await selections.recorded(tenantId, runId, part)).policyIds).toEqual(winner.policies.map((policy) => policy.id));
    expect((await inventory(tenantId)).length).toBe(2);
  });

  it('records listings of several types in one statement, each as recorded alone', async () => {
    // The same history for two tenants: one records each listing alone, the other the later listings together.
    const [alone, together] = [randomUUID(), randomUUID()];
    const before = new Date('2026-12-01T10:00:00Z');
    const at = new Date('2026-12-01T11:00:00Z');
    const [aloneRun, togetherRun] = [randomUUID(), randomUUID()];
    const aloneSet = await sets.createForRun(alone, aloneRun, 'Alone', false);
    const togetherSet = await sets.createForRun(together, togetherRun, 'Together', false);
    for (const tenantId of [alone, together]) {
      await policies.recordListing(tenantId, TYPE, listed(['a', 'Ay'], ['b', 'Bee'], ['x', 'Ex']), before);
      await policies.recordListing(tenantId, 'deviceCompliancePolicy', listed(['c', 'Sea'], ['x', 'Ex too']), before);
      await policies.recordListing(tenantId, 'windowsDriverUpdateProfile', listed(['d', 'Dee']), before);
    }
    // Another delivery of each run recorded the driver part first: that one stays the selection.
    await selections.record(alone, aloneRun, aloneSet.id, 'type:windowsDriverUpdateProfile', { policyIds: [], problem: null });
    await selections.record(together, togetherRun, togetherSet.id, 'type:windowsDriverUpdateProfile', { policyIds: [], problem: null });

    // Device configurations: b gone, a renamed and listed twice, e new; compliance: nothing left; drivers: d again;
    // quality updates: new, and recorded in the inventory only (no part).
    const listings = [
      { policyType: TYPE, listed: listed(['e', 'Eee'], ['a', 'Ay 2'], ['x', 'Ex'], ['a', 'Ay 3']), seenAt: at, part: `type:${TYPE}` },
      { policyType: 'deviceCompliancePolicy', listed: [], seenAt: at, part: 'type:deviceCompliancePolicy' },
      { policyType: 'windowsDriverUpdateProfile', listed: listed(['d', 'Dee']), seenAt: at, part: 'type:windowsDriverUpdateProfile' },
      { policyType: 'windowsQualityUpdateProfile', listed: listed(['q', 'Queue']), seenAt: at },
    ];
    const one: RecordedListing[] = [];
    for (const { policyType, listed: entries, seenAt, part } of listings) {
      one.push(await policies.recordListing(alone, policyType, entries, seenAt, part ? { runId: aloneRun, backupSetId: aloneSet.id, part } : undefined));
    }
    const all = await policies.recordListings(together, listings, { runId: togetherRun, backupSetId: togetherSet.id });

    const shape = (results: typeof one) =>
      results.map(({ policies: found, ...counts }) => ({ ...counts, policies: found.map((policy) => [policy.policyType, policy.graphId, policy.displayName, policy.missingSince]) }));
    expect(shape(all)).toEqual(shape(one));
    expect(shape(all)).toEqual([
      { added: 1, missing: 1, selectionRecorded: true, policies: [[TYPE, 'e', 'Eee', null], [TYPE, 'a', 'Ay 3', null], [TYPE, 'x', 'Ex', null], [TYPE, 'a', 'Ay 3', null]] },
      { added: 0, missing: 2, selectionRecorded: true, policies: [] },
      { added: 0, missing: 0, selectionRecorded: false, policies: [['windowsDriverUpdateProfile', 'd', 'Dee', null]] },
      { added: 1, missing: 0, selectionRecorded: false, policies: [['windowsQualityUpdateProfile', 'q', 'Queue', null]] },
    ]);
    const stored = async (tenantId: string) =>
      (
        await database.pool.query<{ row: string }>(
          `SELECT concat_ws(' ', policy_type, graph_id, display_name, missing_since IS NOT NULL, last_seen_at = $2) AS row FROM capture.policies WHERE tenant_id = $1 ORDER BY 1`,
          [tenantId, at],
        )
      ).rows.map(({ row }) => row);
    expect(await stored(together)).toEqual(await stored(alone));
    expect(await stored(together)).toContain(`${TYPE} b Bee t f`);
    // Each part as recorded alone: the device configurations in listing order, the compliance part empty, the
    // driver part the other delivery's, none for quality updates.
    const parts = async (tenantId: string, runId: string) =>
      (await database.pool.query<{ part: string; count: number }>(`SELECT part, cardinality(policy_ids) AS count FROM capture.backup_set_selections WHERE tenant_id = $1 AND run_id = $2 ORDER BY part`, [tenantId, runId])).rows;
    expect(await parts(together, togetherRun)).toEqual(await parts(alone, aloneRun));
    expect((await selections.recorded(together, togetherRun, `type:${TYPE}`)).policyIds).toEqual(all[0].policies.map((policy) => policy.id));

    await expect(policies.recordListings(together, [listings[0], listings[0]])).rejects.toThrow('one listing per policy type');
    expect(await policies.recordListings(together, [])).toEqual([]);
  });
});
