// What the capture's per-chunk statements and its listing statement cost Postgres per call and per row: `npm run bench:capture-store`
// (`BENCH_ROWS`, `BENCH_ROUNDS`, `BENCH_SNAPSHOT_BYTES`, `BENCH_POSTGRES_URL`).
//
// Issue 17, target 4: a fleet run stores ~5 policies per RECORD_VERSIONS and ADD_BACKUP_ITEMS call (a tenant's
// 100 policies over ~20 types, one chunk per type), and Postgres is the largest CPU user of the run. Whether writing
// several chunks per statement would pay depends on how much of a call's cost is the call itself: this bench runs
// both statements and RECORD_LISTINGS (new tenants' listings of ≤ 5 policies each), as the capture-worker does
// (prepared, one connection, autocommit), with 1, 5, 20 and 40 rows per call in alternating rounds, and reads the Postgres backend's own CPU time (/proc/<pid>/stat: user + system) around
// each block. The figure is CPU per row at each size, and a least-squares fit `cpu per call = fixed + per row × rows`
// over all blocks. Wall time is reported but not compared (the host is shared).
//
// Two knobs for experiments: `BENCH_PLAN_CACHE_MODE` (the session's plan_cache_mode: is the fixed part planning?) and
// `BENCH_ONE_TRANSACTION=1` (each block in one transaction: is it the call's own commit?).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createBenchDatabase, dropBenchDatabase, loadAverage, percentile, processCpuSeconds } from '../support/bench-environment.js';

const ROWS_PER_CALL = [1, 5, 20, 40];
const ROWS = Number(process.env.BENCH_ROWS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SNAPSHOT_BYTES = Number(process.env.BENCH_SNAPSHOT_BYTES ?? 3_000);
const POLICIES = ROWS;
/** Policies per listing in the RECORD_LISTINGS blocks: a fleet tenant lists ~5 per type. */
const LISTED_PER_TYPE = 5;

interface Block {
  statement: 'RECORD_VERSIONS' | 'ADD_BACKUP_ITEMS' | 'RECORD_LISTINGS';
  rowsPerCall: number;
  calls: number;
  cpuMs: number;
  wallMs: number;
}

/** A device configuration shaped like a captured one, about `SNAPSHOT_BYTES` of JSON, different in each round. */
function snapshotOf(graphId: string, index: number, round: number): Record<string, unknown> {
  const settings: Record<string, unknown>[] = [];
  const object = { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: graphId, displayName: `Policy ${index}`, description: `round ${round}`, version: round, settings };
  for (let key = 0; JSON.stringify(object).length < SNAPSHOT_BYTES; key += 1) {
    settings.push({ name: `setting${key}`, value: String((index * 7919 + key * 31 + round) % 1000), enabled: key % 2 === 0, nested: { order: key, label: `label ${key}` } });
  }
  return object;
}

/** Least squares of cpu per call against rows per call: the call's fixed part and each row's. */
function fit(blocks: Block[]): { fixedMsPerCall: number; msPerRow: number } {
  const points = blocks.map((block) => ({ x: block.rowsPerCall, y: block.cpuMs / block.calls }));
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  const slope = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0) / points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);
  return { fixedMsPerCall: round3(meanY - slope * meanX), msPerRow: round3(slope) };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.5);

interface Statement {
  name: string;
  text: string;
}

/** The statements and the content hash of the build under test (`BENCH_SERVICES_ROOT` for an A/B of a statement). */
async function captureStore(): Promise<{ RECORD_LISTINGS?: Statement; RECORD_VERSIONS: Statement; ADD_BACKUP_ITEMS: Statement; contentHash: (value: unknown) => string }> {
  const root = process.env.BENCH_SERVICES_ROOT ?? process.cwd();
  const dist = (path: string) => import(pathToFileURL(join(root, 'dist/apps/capture-worker/src', path)).href);
  return { ...(await dist('database/capture.sql.js')), ...(await dist('store/content-hash.js')) };
}

async function main(): Promise<void> {
  const { RECORD_LISTINGS, RECORD_VERSIONS, ADD_BACKUP_ITEMS, contentHash } = await captureStore();
  const name = `pv_bench_capture_store_${process.pid}`;
  const url = await createBenchDatabase(name, { seed: false });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // An experiment's knob: how Postgres plans the prepared statements (auto, force_custom_plan, force_generic_plan).
  if (process.env.BENCH_PLAN_CACHE_MODE) await client.query(`SET plan_cache_mode = ${pg.escapeIdentifier(process.env.BENCH_PLAN_CACHE_MODE)}`);
  const loadAtStart = loadAverage();
  try {
    const tenantId = randomUUID();
    const graphIds = Array.from({ length: POLICIES }, () => randomUUID());
    // The inventory the versions are stored for (a plain insert: the same in every build under test).
    const seeded = await client.query<{ graphId: string; id: string }>(
      `INSERT INTO capture.policies (tenant_id, policy_type, graph_id, display_name, first_seen_at, last_seen_at)
       SELECT $1, 'deviceConfiguration', graph_id, 'Policy', now(), now() FROM unnest($2::text[]) AS graph_id RETURNING graph_id AS "graphId", id`,
      [tenantId, graphIds],
    );
    const policyIds = new Map<string, string>(seeded.rows.map((row) => [row.graphId, row.id]));
    const { rows: [{ pid }] } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    if (processCpuSeconds(pid) === 0) throw new Error(`cannot read the CPU time of Postgres backend ${pid} from /proc: run the bench on the database host`);

    let round = 0;
    /** One block: ROWS rows through the statement, `rowsPerCall` at a time; the backend's CPU around it. */
    async function block(statement: Block['statement'], rowsPerCall: number, call: (indexes: number[], setId: string, runId: string) => Promise<unknown>): Promise<Block> {
      round += 1;
      const runId = randomUUID();
      const setId = randomUUID();
      await client.query(`INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, created_at) VALUES ($1, $2, $3, 'capturing', false, $4, now())`, [setId, tenantId, `set ${round}`, runId]);
      const cpuBefore = processCpuSeconds(pid) * 1000;
      const started = process.hrtime.bigint();
      let calls = 0;
      // An experiment's knob: the whole block in one transaction (what a call's own commit costs).
      if (process.env.BENCH_ONE_TRANSACTION) await client.query('BEGIN');
      for (let from = 0; from < ROWS; from += rowsPerCall) {
        await call(Array.from({ length: Math.min(rowsPerCall, ROWS - from) }, (_, offset) => from + offset), setId, runId);
        calls += 1;
      }
      if (process.env.BENCH_ONE_TRANSACTION) await client.query('COMMIT');
      return { statement, rowsPerCall, calls, cpuMs: processCpuSeconds(pid) * 1000 - cpuBefore, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
    }

    // The versions each RECORD_VERSIONS block stored, for the ADD_BACKUP_ITEMS block after it.
    let lastVersions: string[] = [];
    const recordVersions = (rowsPerCall: number) => {
      const stored: string[] = [];
      return block('RECORD_VERSIONS', rowsPerCall, async (indexes, _setId, runId) => {
        const snapshots = indexes.map((index) => snapshotOf(graphIds[index], index, round));
        const texts = snapshots.map((snapshot) => JSON.stringify(snapshot));
        const { rows } = await client.query<{ id: string }>({
          name: RECORD_VERSIONS.name,
          text: RECORD_VERSIONS.text,
          values: [
            tenantId,
            runId,
            indexes.map(() => randomUUID()),
            indexes.map((index) => policyIds.get(graphIds[index])),
            snapshots.map((snapshot) => contentHash(snapshot)),
            texts,
            texts.map((text) => Buffer.byteLength(text)),
            indexes.map((index) => `Policy ${index}`),
            indexes.map(() => null),
          ],
        });
        stored.push(...rows.map((row) => row.id));
      }).then((result) => {
        lastVersions = stored;
        return result;
      });
    };
    const addBackupItems = (rowsPerCall: number) =>
      block('ADD_BACKUP_ITEMS', rowsPerCall, (indexes, setId, runId) =>
        client.query({
          name: ADD_BACKUP_ITEMS.name,
          text: ADD_BACKUP_ITEMS.text,
          values: [
            tenantId,
            setId,
            runId,
            indexes.map(() => randomUUID()),
            indexes.map((index) => policyIds.get(graphIds[index])),
            indexes.map((index) => lastVersions[index]),
            indexes.map(() => false),
            indexes.map(() => '{}'),
          ],
        }),
      );

    // New tenants' first listings, recorded as a backup run's selection parts: a call records `rowsPerCall` policies
    // as listings of at most LISTED_PER_TYPE each (a fleet tenant's ~5 per type), each block its own tenant. A build
    // without RECORD_LISTINGS (before 2026-12-04, twenty-first session) skips these blocks.
    const recordListings = (statement: Statement, rowsPerCall: number) => {
      const listingTenant = randomUUID();
      let listingCall = 0;
      return block('RECORD_LISTINGS', rowsPerCall, (indexes, setId, runId) => {
        listingCall += 1;
        const listings = Array.from({ length: Math.ceil(indexes.length / LISTED_PER_TYPE) }, (_, listing) => `type${listingCall}.${listing}`);
        return client.query({
          name: statement.name,
          text: statement.text,
          values: [
            listingTenant,
            runId,
            setId,
            listings,
            listings.map(() => new Date()),
            listings.map((type) => `type:${type}`),
            indexes.map((_, position) => Math.floor(position / LISTED_PER_TYPE) + 1),
            indexes.map((index) => graphIds[index]),
            indexes.map((index) => `Policy ${index}`),
          ],
        });
      });
    };
    // Warm-up: plans cached, pages in memory.
    await recordVersions(5);
    await addBackupItems(5);
    if (RECORD_LISTINGS) await recordListings(RECORD_LISTINGS, 5);
    const blocks: Block[] = [];
    for (let repeat = 0; repeat < ROUNDS; repeat += 1) {
      // Alternating order, so that a drift of the host's speed does not favour one size.
      const sizes = repeat % 2 === 0 ? ROWS_PER_CALL : [...ROWS_PER_CALL].reverse();
      for (const rowsPerCall of sizes) {
        blocks.push(await recordVersions(rowsPerCall));
        blocks.push(await addBackupItems(rowsPerCall));
        if (RECORD_LISTINGS) blocks.push(await recordListings(RECORD_LISTINGS, rowsPerCall));
      }
    }

    const summary = (['RECORD_VERSIONS', 'ADD_BACKUP_ITEMS', 'RECORD_LISTINGS'] as const).filter((statement) => blocks.some((entry) => entry.statement === statement)).map((statement) => {
      const own = blocks.filter((entry) => entry.statement === statement);
      return {
        statement,
        byRowsPerCall: ROWS_PER_CALL.map((rowsPerCall) => {
          const ofSize = own.filter((entry) => entry.rowsPerCall === rowsPerCall);
          return {
            rowsPerCall,
            cpuMsPerRow: round3(median(ofSize.map((entry) => entry.cpuMs / ROWS))),
            cpuMsPerRowEach: ofSize.map((entry) => round3(entry.cpuMs / ROWS)),
            wallMsPerRow: round3(median(ofSize.map((entry) => entry.wallMs / ROWS))),
          };
        }),
        fit: fit(own),
      };
    });
    const result = {
      scenario: `${ROWS} rows per block, ${ROUNDS} rounds of ${ROWS_PER_CALL.join(' / ')} rows per call, snapshots of ~${SNAPSHOT_BYTES} bytes; Postgres backend CPU from /proc`,
      loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
      statements: summary,
      blocks,
    };
    const directory = join(process.cwd(), 'bench', 'capture-store');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'last-run.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify({ ...result, blocks: undefined }, null, 2));
  } finally {
    await client.end();
    await dropBenchDatabase(name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
