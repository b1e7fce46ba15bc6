// Reads a 2,000-policy tenant (every object with its sub-resources) through libs/graph against the Graph
// emulator with Intune-like limits, and compares with a one-request-at-a-time reader (how the common
// PowerShell and Python tools read). Run: npm run build && node dist/bench/graph-read/graph-read.bench.js
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { createRedirectingNetworkClient, GraphClientFactory, INTUNE_PACING, listPolicyTypes, POLICY_TYPE_CONTRACTS, readAllPolicySnapshots } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';

const TOTAL_POLICIES = Number(process.env.BENCH_POLICIES ?? 2000);
const NAIVE_BUDGET_SECONDS = Number(process.env.BENCH_NAIVE_SECONDS ?? 60);
const LATENCY = { min: Number(process.env.BENCH_LATENCY_MIN_MS ?? 30), max: Number(process.env.BENCH_LATENCY_MAX_MS ?? 150) };
const LIMITS = { requestsPerWindow: 1000, writesPerWindow: 100, windowSeconds: 20 };

function countsFor(total: number): Record<string, number> {
  const types = listPolicyTypes();
  const each = Math.floor(total / types.length);
  const counts = Object.fromEntries(types.map((type) => [type, each]));
  counts.settingsCatalogPolicy += total - each * types.length;
  return counts;
}

function budgetStats(emulator: RunningGraphEmulator, tenant: string, startedAt: number, endedAt: number) {
  // Requests Intune counts: every plain Graph call and every $batch item (the envelope itself is free).
  const counted = emulator.journal.list({ tenant }).filter((entry) => entry.kind === 'batch-item' || (entry.kind === 'graph' && !entry.path.endsWith('/$batch')));
  const throttled = counted.filter((entry) => entry.status === 429).length;
  const accepted = counted.length - throttled;
  const seconds = (endedAt - startedAt) / 1000;
  const budget = (seconds * LIMITS.requestsPerWindow) / LIMITS.windowSeconds;
  return { requests: counted.length, accepted, throttled, throttledShare: throttled / Math.max(1, counted.length), budgetUsed: accepted / budget, seconds };
}

async function runLibsGraph(emulator: RunningGraphEmulator, tenant: string) {
  const factory = new GraphClientFactory({
    credentials: { ...DEMO_GRAPH_APP },
    graphBaseUrl: emulator.url,
    networkClient: createRedirectingNetworkClient(emulator.url),
    pacing: INTUNE_PACING,
  });
  const client = factory.forTenant(tenant, { readOnly: true });
  const startedAt = Date.now();
  let snapshots = 0;
  let failures = 0;
  // Types are read concurrently: the per-tenant pacer, not the caller, decides the request rate.
  await Promise.all(
    listPolicyTypes().map(async (type) => {
      const result = await readAllPolicySnapshots(client, type);
      if (!result.supported) return;
      snapshots += result.results.filter((item) => item.ok).length;
      failures += result.results.filter((item) => !item.ok).length;
    }),
  );
  const endedAt = Date.now();
  factory.close();
  return { snapshots, failures, ...budgetStats(emulator, tenant, startedAt, endedAt) };
}

/** One request at a time, no $batch, honours Retry-After: the way existing scripts read Intune. */
async function runNaive(emulator: RunningGraphEmulator, tenant: string, budgetSeconds: number) {
  const tokenResponse = await fetch(`${emulator.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_GRAPH_APP.clientId, client_secret: DEMO_GRAPH_APP.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const deadline = Date.now() + budgetSeconds * 1000;
  const get = async (url: string): Promise<{ value?: Array<Record<string, unknown>>; '@odata.nextLink'?: string }> => {
    for (;;) {
      const response = await fetch(url.startsWith('http') ? url : `${emulator.url}${url}`, { headers: { Authorization: `Bearer ${token}` } });
      if (response.status === 429 || response.status === 503) {
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      return (await response.json()) as never;
    }
  };
  const startedAt = Date.now();
  let snapshots = 0;
  let requestsNeeded = 0;
  outer: for (const type of listPolicyTypes()) {
    const contract = POLICY_TYPE_CONTRACTS[type];
    const base = `/${contract.apiVersion}${contract.collectionPath}`;
    const items: Array<Record<string, unknown>> = [];
    for (let next: string | undefined = `${base}?$top=100`; next; ) {
      if (Date.now() > deadline) break outer;
      const page = await get(next);
      items.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    for (const item of items) {
      if (Date.now() > deadline) break outer;
      if (contract.readEachById) await get(`${base}/${String(item.id)}`);
      for (const sub of contract.subResources) await get(`${base}/${String(item.id)}/${sub.segment}${sub.expand ? `?$expand=${sub.expand}` : ''}`);
      snapshots += 1;
    }
  }
  const endedAt = Date.now();
  for (const type of listPolicyTypes()) {
    const contract = POLICY_TYPE_CONTRACTS[type];
    const count = emulator.admin.listObjects(tenant, type)?.length ?? 0;
    requestsNeeded += Math.ceil(count / 100) + count * (contract.subResources.length + (contract.readEachById ? 1 : 0));
  }
  const stats = budgetStats(emulator, tenant, startedAt, endedAt);
  const projectedSeconds = (stats.seconds * requestsNeeded) / Math.max(1, stats.accepted);
  return { snapshots, requestsNeeded, projectedSeconds, ...stats };
}

async function main(): Promise<void> {
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false, throttle: LIMITS, pageSize: 100 });
  const counts = countsFor(TOTAL_POLICIES);
  const ours = '11111111-1111-4111-8111-000000000001';
  const naive = '11111111-1111-4111-8111-000000000002';
  for (const tenant of [ours, naive]) {
    emulator.admin.resetTenant(tenant, { seed: { policiesPerType: 0, counts, seed: 42 } });
    emulator.admin.setFaults(tenant, { latencyMs: LATENCY, seed: 7 });
  }
  console.log(`tenant: ${TOTAL_POLICIES} policies, ${listPolicyTypes().length} types; limits ${LIMITS.requestsPerWindow} req / ${LIMITS.windowSeconds} s; latency ${LATENCY.min}-${LATENCY.max} ms`);

  const libs = await runLibsGraph(emulator, ours);
  console.log(JSON.stringify({ client: 'libs/graph', ...libs }));
  const script = await runNaive(emulator, naive, NAIVE_BUDGET_SECONDS);
  console.log(JSON.stringify({ client: 'one-at-a-time', ...script }));

  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log('\n| client | policies read | wall time | requests (counted) | 429 share | read budget used |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| libs/graph (pacer + $batch) | ${libs.snapshots} / ${TOTAL_POLICIES} (${libs.failures} failed) | ${libs.seconds.toFixed(1)} s | ${libs.requests} | ${pct(libs.throttledShare)} | ${pct(libs.budgetUsed)} |`);
  console.log(`| one request at a time | ${script.snapshots} / ${TOTAL_POLICIES} in ${NAIVE_BUDGET_SECONDS} s | ${script.projectedSeconds.toFixed(0)} s projected for all (${script.requestsNeeded} requests) | ${script.requests} | ${pct(script.throttledShare)} | ${pct(script.budgetUsed)} |`);
  await emulator.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
