// Restore benchmark (issue 5). `npm run build && node dist/bench/restore/restore.bench.js`
//
// Against the Graph emulator at Intune's real limits (1,000 requests and 100 writes per 20 s per app
// and tenant), with run-service, capture-worker and restore-worker as processes:
//  1. restore 300 drifted policies into one tenant: wall time, share of the write budget used while
//     writing, share of write attempts answered 429;
//  2. preview a 2,000-item backup set (100 of them drifted): wall time and the restore-worker's peak
//     resident memory.
// Backup sets are made by the real capture-worker first (not measured).
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { DEMO_GRAPH_APP, DEMO_TENANTS, RestoreRpc, RunRpc, RunType, TERMINAL_RUN_STATUSES, type RestorePreviewPage, type RunView, type StartRunReply } from '@policyvault/contracts';
import { startGraphEmulator, type JournalEntry } from '@policyvault/graph-emulator';
import { NamespacedNatsClient } from '@policyvault/platform';
import { startService, type ServiceProcess } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, peakMemoryMiB, workerNodeArguments } from '../support/bench-environment.js';

const RESTORE_ITEMS = Number(process.env.BENCH_RESTORE_ITEMS ?? 300);
const PREVIEW_ITEMS = Number(process.env.BENCH_PREVIEW_ITEMS ?? 2000);
const LIMITS = { requestsPerWindow: 1000, writesPerWindow: 100, windowSeconds: 20 };
const stamp = Date.now().toString(36);
const database = `pv_bench_restore_${stamp}`;
const namespace = `pvbench_restore_${stamp}`;
const [restoreTenant, previewTenant] = DEMO_TENANTS;
const operator = { userId: randomUUID(), email: 'owner@contoso.test' };

async function main(): Promise<void> {
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false, throttle: LIMITS });
  emulator.admin.resetTenant(restoreTenant.directoryId, { seed: { policiesPerType: 0, counts: { deviceConfiguration: RESTORE_ITEMS } } });
  emulator.admin.resetTenant(previewTenant.directoryId, { seed: { policiesPerType: 0, counts: { deviceConfiguration: PREVIEW_ITEMS } } });
  const url = await createBenchDatabase(database);
  const env = {
    DATABASE_URL: url,
    NATS_URL,
    NATS_NAMESPACE: namespace,
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_INTERVAL_MS: '200',
    GRAPH_BASE_URL: emulator.url,
    GRAPH_AUTHORITY_HOST: emulator.url,
    GRAPH_CLIENT_ID: DEMO_GRAPH_APP.clientId,
    GRAPH_CLIENT_SECRET: DEMO_GRAPH_APP.clientSecret,
    GRAPH_REQUESTS_PER_WINDOW: String(LIMITS.requestsPerWindow),
    GRAPH_WRITES_PER_WINDOW: String(LIMITS.writesPerWindow),
    GRAPH_WINDOW_SECONDS: String(LIMITS.windowSeconds),
  };
  const services: ServiceProcess[] = [];
  const rpc = new NamespacedNatsClient(namespace, { servers: NATS_URL, timeout: 30_000 });
  try {
    services.push(await startService('run-service', env), await startService('capture-worker', env));
    await rpc.connect();
    const start = async (tenant: (typeof DEMO_TENANTS)[number], type: RunType, target: object, scope: object = {}, confirmation?: object) =>
      (await firstValueFrom(rpc.send<StartRunReply>(RunRpc.start, { tenantId: tenant.id, tenantDirectoryId: tenant.directoryId, type, target, scope, initiator: operator, tenantDisplayName: tenant.displayName, ...(confirmation ? { confirmation } : {}) }))).run.id;
    const terminal = async (tenantId: string, runId: string): Promise<RunView> => {
      for (;;) {
        const run = await firstValueFrom(rpc.send<RunView>(RunRpc.get, { tenantId, runId }));
        if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    console.log(`capturing backup sets (${RESTORE_ITEMS} + ${PREVIEW_ITEMS} policies; not measured)…`);
    const [restoreBackup, previewBackup] = await Promise.all(
      [restoreTenant, previewTenant].map(async (tenant) => terminal(tenant.id, await start(tenant, RunType.BackupSetCreate, { name: 'bench' }, { policyTypes: ['deviceConfiguration'] }))),
    );
    if (restoreBackup.counts.succeeded !== RESTORE_ITEMS || previewBackup.counts.succeeded !== PREVIEW_ITEMS) throw new Error('the backups did not capture every policy');

    // 2. Preview first, on a fresh restore-worker (its peak memory is the preview's).
    const drifted = emulator.admin.listObjects(previewTenant.directoryId, 'deviceConfiguration')!.slice(0, 100);
    for (const object of drifted) emulator.admin.patchObject(previewTenant.directoryId, 'deviceConfiguration', String(object.id), { description: 'drifted' });
    // The workers run as deployed (their heap limit); `BENCH_WORKER_NODE_ARGUMENTS=""` for none.
    const previewWorker = await startService('restore-worker', env, { instance: 'restore-worker-preview', nodeArguments: workerNodeArguments() });
    services.push(previewWorker);
    const previewStart = Date.now();
    const previewRun = await terminal(previewTenant.id, await start(previewTenant, RunType.RestorePreview, { backupSetId: previewBackup.summary?.backupSetId }));
    const previewMs = Date.now() - previewStart;
    const previewMemory = peakMemoryMiB(previewWorker);
    const previewPage = await firstValueFrom(rpc.send<RestorePreviewPage>(RestoreRpc.getPreview, { tenantId: previewTenant.id, runId: previewRun.id, limit: 1 }));
    await previewWorker.stop();

    // 1. Restore 300 drifted policies (one PATCH each) on another fresh restore-worker.
    for (const object of emulator.admin.listObjects(restoreTenant.directoryId, 'deviceConfiguration')!) {
      emulator.admin.patchObject(restoreTenant.directoryId, 'deviceConfiguration', String(object.id), { description: 'drifted' });
    }
    const restoreWorker = await startService('restore-worker', env, { instance: 'restore-worker-restore', nodeArguments: workerNodeArguments() });
    services.push(restoreWorker);
    const before = emulator.journal.lastSeq;
    const restoreStart = Date.now();
    const restoreRun = await terminal(restoreTenant.id, await start(restoreTenant, RunType.RestoreExecute, { backupSetId: restoreBackup.summary?.backupSetId }, {}, { tenantName: restoreTenant.displayName }));
    const restoreMs = Date.now() - restoreStart;
    const writes = emulator.journal.writes({ tenant: restoreTenant.directoryId, sinceSeq: before });
    const accepted = writes.filter((entry) => entry.status < 300);
    const throttled = writes.filter((entry) => entry.status === 429);
    const budget = budgetUse(accepted);

    const results = {
      limits: LIMITS,
      restore: {
        items: RESTORE_ITEMS,
        status: restoreRun.status,
        counts: restoreRun.counts,
        wallSeconds: round(restoreMs / 1000),
        writeAttempts: writes.length,
        writesAccepted: accepted.length,
        throttled429: throttled.length,
        share429: round(throttled.length / Math.max(1, writes.length), 4),
        writeBudgetUsed: budget,
        restoreWorkerPeakMiB: peakMemoryMiB(restoreWorker),
      },
      preview: {
        items: PREVIEW_ITEMS,
        status: previewRun.status,
        totals: previewPage.totals,
        wallSeconds: round(previewMs / 1000),
        itemsPerSecond: round(PREVIEW_ITEMS / (previewMs / 1000)),
        restoreWorkerPeakMiB: previewMemory,
        graphRequests: emulator.journal.list({ tenant: previewTenant.directoryId }).filter((entry) => entry.kind !== 'token' && entry.time >= previewStart && entry.time <= previewStart + previewMs).length,
      },
    };
    console.log(JSON.stringify(results, null, 2));
    writeFileSync('bench/restore/last-run.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...results }, null, 2)}\n`);
  } finally {
    await rpc.close().catch(() => undefined);
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await emulator.close();
    await deleteStreams(namespace);
    await dropBenchDatabase(database);
  }
}

/**
 * Share of the write budget used while writing: accepted writes per full window between the first and
 * the last write, over the limit; and the busiest sliding window (must stay ≤ the limit).
 */
function budgetUse(accepted: JournalEntry[]): { sustainedShare: number; busiestWindow: number } {
  if (accepted.length < 2) return { sustainedShare: 0, busiestWindow: accepted.length };
  const times = accepted.map((entry) => entry.time).sort((left, right) => left - right);
  const windowMs = LIMITS.windowSeconds * 1000;
  const span = times[times.length - 1] - times[0];
  let busiest = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while (times[last] - times[first] >= windowMs) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  // Writes after the first one, per window of the time they took (the first one opens the span).
  return { sustainedShare: round((times.length - 1) / (span / windowMs) / LIMITS.writesPerWindow, 3), busiestWindow: busiest };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

await main();
