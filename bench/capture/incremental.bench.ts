// Incremental capture (issue 17, target 3), part of `npm run bench:capture` (alone: BENCH_INCREMENTAL_ONLY=1).
//
// One tenant of 2,000 policies over the 15 non-foundation types, one capture-worker, Intune's limits and
// Graph-like latency in the emulator. Three `backup_set.create` runs of every type: (1) the first capture
// (new content), (2) a full capture of the now unchanged tenant (worker with CAPTURE_FULL_READ_EVERY_RUNS=1),
// (3) an incremental capture of the same unchanged tenant (default settings). Compares (3) with (2):
// counted Graph requests, wall time, and the backup sets' content (policy, version, content hash, reference
// names) row for row.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunType, TERMINAL_RUN_STATUSES, type RunView, type StartRunReply } from '@policyvault/contracts';
import { POLICY_TYPE_CONTRACTS, listPathsFor } from '@policyvault/graph';
import type { JournalEntry, RunningGraphEmulator } from '@policyvault/graph-emulator';
import type { NamespacedNatsClient } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';

const collections = Object.values(POLICY_TYPE_CONTRACTS).flatMap((contract) => listPathsFor(contract).map((collection) => `/${contract.apiVersion}${collection.path}`));
const REFERENCE_NAME_PATH = /^\/(v1\.0\/groups\/[^/]+|beta\/deviceManagement\/(roleScopeTags|assignmentFilters|notificationMessageTemplates))$/;

/** What the emulator's throttle counts: `$batch` items one each, plain requests, not tokens or envelopes. */
const counted = (entries: JournalEntry[]) => entries.filter((entry) => entry.kind === 'batch-item' || (entry.kind === 'graph' && !entry.path.endsWith('/$batch')));

function breakdown(entries: JournalEntry[]) {
  // Scope tags and filters are both collections and reference names: counted as reference names.
  const referenceNames = entries.filter((entry) => REFERENCE_NAME_PATH.test(entry.path)).length;
  const listings = entries.filter((entry) => collections.includes(entry.path) && !REFERENCE_NAME_PATH.test(entry.path)).length;
  return { total: entries.length, listings, referenceNames, objectReads: entries.length - listings - referenceNames };
}

export interface IncrementalBenchOptions {
  emulator: RunningGraphEmulator;
  rpc: NamespacedNatsClient;
  env: Record<string, string>;
  databaseUrl: string;
  seedCounts: (total: number) => Record<string, number>;
  latencyMs: { min: number; max: number };
  policies?: number;
}

export async function runIncrementalBench({ emulator, rpc, env, databaseUrl, seedCounts, latencyMs, policies = 2000 }: IncrementalBenchOptions) {
  const tenant = { id: randomUUID(), directoryId: randomUUID() };
  emulator.admin.resetTenant(tenant.directoryId, { displayName: 'incremental', seed: { policiesPerType: 0, counts: seedCounts(policies) } });
  emulator.admin.setFaults(tenant.directoryId, { latencyMs });
  const database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();

  const backup = async (name: string) => {
    const sinceSeq = emulator.journal.lastSeq;
    const startedAt = Date.now();
    const reply = await firstValueFrom(
      rpc.send<StartRunReply>(RunRpc.start, {
        tenantId: tenant.id,
        tenantDirectoryId: tenant.directoryId,
        type: RunType.BackupSetCreate,
        target: { name },
        scope: {},
        initiator: { userId: randomUUID(), email: 'bench@contoso.test' },
      }),
    );
    let view: RunView;
    for (;;) {
      view = await firstValueFrom(rpc.send<RunView>(RunRpc.get, { tenantId: tenant.id, runId: reply.run.id }));
      if (TERMINAL_RUN_STATUSES.includes(view.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const wallSeconds = (Date.now() - startedAt) / 1000;
    const requests = breakdown(counted(emulator.journal.list({ sinceSeq, tenant: tenant.directoryId })));
    const { rows } = await database.query(
      `SELECT i.policy_id, i.policy_version_id, v.content_hash, i.reference_names, i.is_foundation
       FROM capture.backup_items i JOIN capture.policy_versions v ON v.id = i.policy_version_id WHERE i.backup_set_id = $1 ORDER BY i.policy_id`,
      [view.summary?.backupSetId],
    );
    return { status: view.status, counts: view.counts, summary: view.summary, wallSeconds: round(wallSeconds), requests, rows };
  };

  const withWorker = async <T>(extraEnv: Record<string, string>, instance: string, work: () => Promise<T>): Promise<T> => {
    const worker: ServiceProcess = await startService('capture-worker', { ...env, ...extraEnv }, { instance });
    try {
      return await work();
    } finally {
      await worker.stop();
    }
  };

  try {
    const { first, full } = await withWorker({ CAPTURE_FULL_READ_EVERY_RUNS: '1' }, 'bench-incremental-full', async () => ({
      first: await backup('first capture'),
      full: await backup('full capture, unchanged tenant'),
    }));
    const incremental = await withWorker({}, 'bench-incremental', () => backup('incremental capture, unchanged tenant'));
    const identical = JSON.stringify(full.rows) === JSON.stringify(incremental.rows);
    const describe = (run: Awaited<ReturnType<typeof backup>>) => ({ status: run.status, counts: run.counts, wallSeconds: run.wallSeconds, requests: run.requests });
    return {
      scenario: `1 tenant × ${policies} policies, unchanged: full vs incremental`,
      first: describe(first),
      full: describe(full),
      incremental: describe(incremental),
      requestRatio: round(incremental.requests.total / full.requests.total, 3),
      timeRatio: round(incremental.wallSeconds / full.wallSeconds, 3),
      items: incremental.rows.length,
      identicalContent: identical,
    };
  } finally {
    await database.end();
  }
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
