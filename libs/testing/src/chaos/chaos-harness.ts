// The chaos suite, shared by `npm run chaos` (bench/chaos, ≥ 600 runs, ≥ 40 kills) and its two-minute
// version in `npm test` (e2e/src/chaos): start the system with two replicas of everything, drive a mixed
// load while killing processes, NATS and Postgres, let it settle, then check what must hold.
import { TENANT_PURGE_ACK_WAIT_MS } from '@policyvault/platform';
import { CHAOS_SERVICES, startChaosCluster } from './chaos-cluster.js';
import {
  acceptedRunsTerminal,
  countsEqualItems,
  no5xxOutsideOutages,
  noDoubleWrites,
  noOverlappingRuns,
  oneNotificationPerTransition,
  poisonRecorded,
  tallyNotifications,
  type ChaosCheck,
} from './chaos-checks.js';
import { ChaosFaults } from './chaos-faults.js';
import { CHAOS_POLICY_COUNTS, CHAOS_TENANTS, ChaosLoad } from './chaos-load.js';
import type { ChaosOptions } from './chaos-options.js';
import { ChaosRandom, sleep } from './chaos-random.js';

export interface ChaosReport {
  checks: ChaosCheck[];
  passed: boolean;
  /** The run's figures, one line each (what RELIABILITY.md records). */
  summary: string[];
}

async function emulatorAdmin(graphUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${graphUrl}/_emulator${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`emulator ${method} ${path} answered ${response.status}`);
  return response.json().catch(() => undefined);
}

/** Waits while `probe` is false, up to `timeoutMs`; returns whether it became true. */
async function settle(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return true;
    } catch {
      // Still recovering: ask again.
    }
    await sleep(2000);
  }
  return false;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { log, graphUrl } = options;
  const random = new ChaosRandom(options.seed);
  // Small tenants of the restored types (and the usual supporting objects); no throttling in the way:
  // this suite is about crashes, not Graph's budgets (bench/graph-read and bench/restore measure those).
  await emulatorAdmin(graphUrl, 'PUT', '/throttle', { requestsPerWindow: 100_000, writesPerWindow: 100_000, windowSeconds: 20 });
  for (const tenant of CHAOS_TENANTS) {
    await emulatorAdmin(graphUrl, 'PUT', `/tenants/${tenant.directoryId}`, { displayName: tenant.displayName, seed: { policiesPerType: 0, counts: CHAOS_POLICY_COUNTS } });
  }
  const { lastSeq: journalStart } = (await emulatorAdmin(graphUrl, 'GET', '/journal?kind=token')) as { lastSeq: number };

  const startedAt = Date.now();
  log(`chaos: starting Postgres, NATS and ${CHAOS_SERVICES.length} services × 2`);
  const cluster = await startChaosCluster({ graphUrl, log });
  try {
    log(`chaos: up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (log files: tmp/test-logs/${cluster.namespace}-*.log)`);
    const tokens = new Map<string, string>();
    for (const tenant of CHAOS_TENANTS) tokens.set(tenant.id, await cluster.token(tenant.ownerEmail));
    const load = new ChaosLoad(cluster.gatewayUrls, tokens, cluster.pool, random);
    const faults = new ChaosFaults(cluster, graphUrl, random);
    faults.watchAdvisories();

    const began = Date.now();
    const progress = setInterval(() => {
      const down = cluster.instances.filter((instance) => !instance.up).map((instance) => instance.name);
      log(`chaos: ${Math.round((Date.now() - began) / 1000)} s, ${load.figures.accepted.size}/${options.runs} runs accepted, ${faults.figures.kills.length}/${options.kills} kills${down.length ? `, down: ${down.join(' ')}` : ''}`);
    }, 15_000);
    try {
      await Promise.all([
        load.run({ runs: options.runs, durationMs: options.durationMs, concurrency: options.concurrency, deadlineMs: began + options.durationMs * 3 + 120_000 }),
        faults.run({ began, ...options }),
      ]);
    } finally {
      clearInterval(progress);
      faults.stop();
    }
    const loadEnded = Date.now();
    log(`chaos: load done in ${((loadEnded - began) / 1000).toFixed(1)} s; waiting for every accepted run to end`);

    const ids = [...load.figures.accepted.keys()];
    const allEnded = await settle(async () => {
      const { rows } = await cluster.pool.query<{ active: string }>(
        `SELECT count(*) AS active FROM run_service.runs WHERE id = ANY($1::uuid[]) AND status NOT IN ('succeeded', 'partial', 'failed', 'canceled')`,
        [ids],
      );
      return rows[0].active === '0';
    }, options.settleTimeoutMs);
    // The notifier follows the status stream, and a poison whose handling failed comes back after its
    // consumer's ack wait: give both time until nothing is missing.
    await settle(async () => (await tallyNotifications(cluster.pool)).missing.length === 0, 60_000);
    // A poison delivered to a replica killed before it recorded it comes back after its consumer's ack wait: for a
    // tenant purge, 2 minutes (longer than a run takes to settle).
    await settle(async () => (await poisonRecorded(cluster.pool, faults.figures)).pass, Math.max(options.settleTimeoutMs, TENANT_PURGE_ACK_WAIT_MS + 30_000));
    const settledIn = (Date.now() - loadEnded) / 1000;
    log(`chaos: ${allEnded ? 'settled' : 'NOT settled'} in ${settledIn.toFixed(1)} s; checking`);

    const checks = [
      await acceptedRunsTerminal(cluster.pool, load.figures),
      await countsEqualItems(cluster.pool),
      await noDoubleWrites(graphUrl, journalStart, faults.figures),
      oneNotificationPerTransition(await tallyNotifications(cluster.pool)),
      await noOverlappingRuns(cluster.pool, load.figures),
      await poisonRecorded(cluster.pool, faults.figures),
      no5xxOutsideOutages(load.figures, faults.figures),
    ];
    const killsPerService = CHAOS_SERVICES.map((service) => `${service} ${faults.figures.kills.filter((kill) => kill.instance.startsWith(`${service}-`)).length}`).join(', ');
    const window = (name: string, span?: { from: number; to: number }) => (span ? `${name} down ${((span.to - span.from) / 1000).toFixed(1)} s at ${Math.round((span.from - began) / 1000)} s` : `${name} not stopped`);
    const summary = [
      `seed ${options.seed}; load ${((loadEnded - began) / 1000).toFixed(1)} s (planned ${options.durationMs / 1000} s), settled ${settledIn.toFixed(1)} s after`,
      `${load.figures.accepted.size} runs accepted from ${load.figures.startsSent} start requests (${Object.entries(load.figures.actionsByKind).map(([kind, count]) => `${kind} ${count}`).join(', ')}); refused: ${[...load.figures.refused].map(([reason, count]) => `${reason} ×${count}`).join('; ') || 'none'}`,
      `${faults.figures.kills.length} SIGKILLs (${killsPerService}); restarts retried ${cluster.figures.failedStarts}×${cluster.figures.failedStartReasons.length ? ` (${cluster.figures.failedStartReasons.slice(0, 3).join(' | ')})` : ''}; restarts given up ${faults.figures.restartsFailed.length}`,
      `${window('NATS', faults.figures.natsOutage)}; ${window('Postgres', faults.figures.postgresOutage)}; processes that exited on their own: ${cluster.figures.unexpectedExits.length}${cluster.figures.unexpectedExits.length ? ` (${cluster.figures.unexpectedExits.slice(0, 6).map((exit) => `${exit.instance} at ${Math.round((exit.at - began) / 1000)} s`).join(', ')})` : ''}`,
      `${[...faults.figures.deletions.values()].reduce((sum, count) => sum + count, 0)} policies deleted in Graph; ${faults.figures.poisons.length} poison messages`,
    ];
    for (const line of summary) log(`chaos: ${line}`);
    for (const check of checks) log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.figures}`);
    return { checks, passed: checks.every((check) => check.pass), summary };
  } finally {
    await cluster.close();
  }
}
