import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { INTUNE_LIMITS } from './behaviour/throttle.js';
import { startGraphEmulator } from './server.js';

/** Reads a positive integer variable; a malformed value stops the process naming the variable. */
function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`graph-emulator: ${name} must be a non-negative integer (got "${raw}")`);
    process.exit(1);
  }
  return value;
}

async function main(): Promise<void> {
  const emulator = await startGraphEmulator({
    port: integer('PORT', 3100),
    host: process.env.HOST ?? '127.0.0.1',
    apps: [{ clientId: process.env.GRAPH_EMULATOR_CLIENT_ID ?? DEMO_GRAPH_APP.clientId, clientSecret: process.env.GRAPH_EMULATOR_CLIENT_SECRET ?? DEMO_GRAPH_APP.clientSecret }],
    tokenLifetimeSeconds: integer('GRAPH_EMULATOR_TOKEN_LIFETIME_SECONDS', 3599),
    throttle: {
      requestsPerWindow: integer('GRAPH_EMULATOR_REQUESTS_PER_WINDOW', INTUNE_LIMITS.requestsPerWindow),
      writesPerWindow: integer('GRAPH_EMULATOR_WRITES_PER_WINDOW', INTUNE_LIMITS.writesPerWindow),
      windowSeconds: integer('GRAPH_EMULATOR_WINDOW_SECONDS', INTUNE_LIMITS.windowSeconds),
    },
    seedDemoTenants: process.env.GRAPH_EMULATOR_SEED_DEMO !== 'false',
    demoSeed: { policiesPerType: integer('GRAPH_EMULATOR_POLICIES_PER_TYPE', 24) },
    exportDirectory: process.env.GRAPH_EMULATOR_SEED_DIR || undefined,
    exportTenant: process.env.GRAPH_EMULATOR_SEED_TENANT || undefined,
    pageSize: integer('GRAPH_EMULATOR_PAGE_SIZE', 100),
  });
  console.log(JSON.stringify({ msg: 'graph emulator listening', url: emulator.url, tenants: emulator.admin.listTenants().map((tenant) => tenant.displayName) }));
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('graph-emulator failed to start', error instanceof Error ? error.message : error);
  process.exit(1);
});
