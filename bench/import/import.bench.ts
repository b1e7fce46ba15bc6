// Import benchmark (issue 15 item 2). `npm run bench:import` (builds first).
//
// run-service and one capture-worker started for real. Per scenario, an archive of 5,000 files in
// IntuneManagement's layout (device configurations and settings catalog policies, the settings catalog files
// without `@odata.type`, a share in UTF-16 LE) is written here, put into the imports bucket through the same
// ImportUploads the gateway uses, and a `backup_set.import` run is started through run-service's RPC. Measured:
// the run's wall time (start → terminal, which includes run-service applying 5,000 item events), the worker's own
// time (its backup set made → finished), files per second, and the capture-worker's peak resident memory
// (VmHWM) idle before the run and at its end — the target is a streamed import within 300 MB.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { firstValueFrom } from 'rxjs';
import { connect } from '@nats-io/transport-node';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { DEMO_GRAPH_APP, RunRpc, RunType, TERMINAL_RUN_STATUSES, jetStreamNames, type RunView, type StartRunReply } from '@policyvault/contracts';
import { startGraphEmulator } from '@policyvault/graph-emulator';
import { ImportUploads, NamespacedNatsClient, type CommonConfig } from '@policyvault/platform';
import { startService } from '@policyvault/testing';
import { NATS_URL, createBenchDatabase, deleteStreams, dropBenchDatabase, peakMemoryMiB } from '../support/bench-environment.js';

const FILES = Number(process.env.BENCH_FILES ?? 5000);
const stamp = Date.now().toString(36);
const database = `pv_bench_import_${stamp}`;
const namespace = `pvbench_imp_${stamp}`;

interface Scenario {
  name: string;
  /** Settings per settings catalog file / properties per device configuration: the files' size. */
  settingsPerFile: number;
}

const SCENARIOS: Scenario[] = [
  { name: `${FILES} files, ~3 KB each`, settingsPerFile: 8 },
  { name: `${FILES} files, ~30 KB each`, settingsPerFile: 90 },
];

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The archive: half device configurations (UTF-16 LE with a BOM every fifth), half settings catalog policies (no @odata.type). */
function archive(scenario: Scenario): { bytes: Uint8Array; uncompressedBytes: number } {
  const files: Zippable = {};
  let uncompressedBytes = 0;
  for (let index = 0; index < FILES; index += 1) {
    let object: Record<string, unknown>;
    let path: string;
    if (index % 2 === 0) {
      object = { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: randomUUID(), displayName: `Profile ${index}` };
      for (let property = 0; property < scenario.settingsPerFile * 3; property += 1) object[`setting${property}`] = `value ${index}-${property} ${'x'.repeat(40)}`;
      path = `DeviceConfiguration/Profile ${index}.json`;
    } else {
      object = {
        id: randomUUID(),
        name: `Catalog ${index}`,
        platforms: 'windows10',
        technologies: 'mdm',
        settings: Array.from({ length: scenario.settingsPerFile }, (_, setting) => ({
          id: String(setting),
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
            settingDefinitionId: `device_vendor_msft_policy_config_bench_setting${setting}`,
            choiceSettingValue: { value: `device_vendor_msft_policy_config_bench_setting${setting}_${index % 3}`, children: [] },
          },
        })),
      };
      path = `SettingsCatalog/Catalog ${index}.json`;
    }
    const text = JSON.stringify(object, null, 2);
    const bytes = index % 5 === 0 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(strToU8(text));
    uncompressedBytes += bytes.length;
    files[path] = bytes;
  }
  return { bytes: zipSync(files, { level: 6 }), uncompressedBytes };
}

async function main() {
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
  const url = await createBenchDatabase(database, { seed: false });
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
  };
  const runService = await startService('run-service', env, { instance: 'bench-import-run-service' });
  const rpc = new NamespacedNatsClient(namespace, { servers: NATS_URL, timeout: 10_000 });
  await rpc.connect();
  const connection = await connect({ servers: NATS_URL });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const uploads = new ImportUploads(connection, jetStreamNames(namespace), { NATS_STREAM_REPLICAS: 1 } as CommonConfig);
  const results = [];
  try {
    for (const [index, scenario] of SCENARIOS.entries()) {
      const { bytes, uncompressedBytes } = archive(scenario);
      const tenant = { id: randomUUID(), directoryId: randomUUID() };
      const uploadId = randomUUID();
      await uploads.put(tenant.id, uploadId, (async function* () {
        for (let offset = 0; offset < bytes.length; offset += 1024 * 1024) yield bytes.subarray(offset, offset + 1024 * 1024);
      })(), Number.MAX_SAFE_INTEGER);
      // A fresh worker per scenario: its peak memory is this import's.
      const worker = await startService('capture-worker', env, { instance: `bench-import-worker-${index}` });
      const idleMiB = peakMemoryMiB(worker);
      const startedAt = Date.now();
      const reply = await firstValueFrom(
        rpc.send<StartRunReply>(RunRpc.start, {
          tenantId: tenant.id,
          tenantDirectoryId: tenant.directoryId,
          type: RunType.BackupSetImport,
          target: { name: `Benchmark ${scenario.name}`, uploadId },
          scope: {},
          initiator: { userId: randomUUID(), email: 'bench@contoso.test' },
        }),
      );
      let view: RunView;
      for (;;) {
        view = await firstValueFrom(rpc.send<RunView>(RunRpc.get, { tenantId: tenant.id, runId: reply.run.id }));
        if (TERMINAL_RUN_STATUSES.includes(view.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const wallSeconds = (Date.now() - startedAt) / 1000;
      // The worker's own part: its backup set made → finished (the run's end also waits for run-service to apply every item).
      const { rows } = await db.query<{ seconds: number }>(
        `SELECT extract(epoch FROM completed_at - created_at)::float AS seconds FROM capture.backup_sets WHERE created_by_run_id = $1`,
        [reply.run.id],
      );
      const result = {
        scenario: scenario.name,
        status: view.status,
        items: view.counts.succeeded,
        failed: view.counts.failed,
        archiveMiB: round(bytes.length / 1024 / 1024),
        uncompressedMiB: round(uncompressedBytes / 1024 / 1024),
        wallSeconds: round(wallSeconds),
        workerSeconds: round(rows[0]?.seconds ?? Number.NaN),
        workerFilesPerSecond: round(FILES / (rows[0]?.seconds ?? Number.NaN)),
        filesPerSecond: round(FILES / wallSeconds),
        workerPeakMemoryMiB: { idle: idleMiB, afterRun: peakMemoryMiB(worker) },
      };
      await worker.stop();
      console.log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    await db.end();
    await connection.close();
    await rpc.close();
    await runService.stop();
    await emulator.close();
    await deleteStreams(namespace);
    await dropBenchDatabase(database);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/import.json', `${JSON.stringify({ files: FILES, results }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
