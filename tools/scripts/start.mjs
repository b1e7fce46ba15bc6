#!/usr/bin/env node
// `npm start`: the whole system on local defaults, from a fresh clone.
//   1. installs dependencies when node_modules is missing, builds;
//   2. makes sure Postgres and NATS answer (the machine's own, or `docker compose` where an engine runs);
//   3. creates the database, runs every service's migrations, seeds the demo tenants and users;
//   4. starts the Graph emulator (unless real Azure credentials are configured) and every service;
//   5. prints the admin UI's URL, the gateway's, and how to get a token. Ctrl-C stops everything.
// Plain Node (no dependencies) so that it runs before `npm ci`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, createWriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);

const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/policyvault',
  NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  NATS_NAMESPACE: process.env.NATS_NAMESPACE ?? 'pv',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  AUTH_MODE: process.env.AUTH_MODE ?? 'development',
  AUTH_DEV_SIGNING_KEY: process.env.AUTH_DEV_SIGNING_KEY ?? 'policyvault-local-development-signing-key-not-for-production',
  UI_BASE_URL: process.env.UI_BASE_URL ?? 'http://localhost:3000',
};
const usesRealGraph = Boolean(process.env.GRAPH_CLIENT_ID && process.env.GRAPH_CLIENT_SECRET && process.env.GRAPH_BASE_URL);
const emulatorPort = Number(process.env.GRAPH_EMULATOR_PORT ?? 3100);
if (!usesRealGraph) {
  Object.assign(env, {
    GRAPH_BASE_URL: `http://127.0.0.1:${emulatorPort}`,
    GRAPH_AUTHORITY_HOST: `http://127.0.0.1:${emulatorPort}`,
  });
}

const services = [
  ...(usesRealGraph ? [] : [{ name: 'graph-emulator', entry: 'dist/tools/graph-emulator/src/main.js', port: emulatorPort }]),
  { name: 'run-service', entry: 'dist/apps/run-service/src/main.js', port: 3001 },
  // The workers' V8 heap limit, as deployed (docker-compose.yml): without it the heap grows far past what their runs use.
  { name: 'capture-worker', entry: 'dist/apps/capture-worker/src/main.js', port: 3002, env: { NODE_OPTIONS: '--max-old-space-size=192' } },
  { name: 'restore-worker', entry: 'dist/apps/restore-worker/src/main.js', port: 3003, env: { NODE_OPTIONS: '--max-old-space-size=192' } },
  { name: 'notifier', entry: 'dist/apps/notifier/src/main.js', port: 3004 },
  { name: 'gateway', entry: 'dist/apps/gateway/src/main.js', port: Number(process.env.GATEWAY_PORT ?? 3000) },
];

function step(message) {
  console.log(`\n▶ ${message}`);
}

function sh(command, args, options = {}) {
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

async function ensureDatabase(url) {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const database = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
}

async function waitReady(service) {
  const deadline = Date.now() + 60_000;
  const path = service.name === 'graph-emulator' ? '/_emulator/health' : '/health/ready';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) throw new Error(`${service.name} exited (log: ${service.logFile})`);
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}${path}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} did not become ready (log: ${service.logFile})`);
}

async function main() {
  if (!existsSync('node_modules')) {
    // `npm ci` installs exactly the lock file and never rewrites it: a fresh clone stays clean.
    step('installing dependencies (npm ci)');
    sh('npm', ['ci', '--no-audit', '--no-fund']);
  }
  step('building');
  sh('node', ['tools/scripts/build.mjs']);
  step('checking Postgres and NATS');
  sh('bash', ['tools/scripts/ensure-services.sh']);
  step('preparing the database');
  await ensureDatabase(env.DATABASE_URL);
  const { migrateAll } = await import(pathToFileURL(join(root, 'tools/scripts/migrate.mjs')).href);
  await migrateAll(env.DATABASE_URL);
  const { seedDemoDirectory } = await import(pathToFileURL(join(root, 'dist/apps/gateway/src/database/seed.js')).href);
  await seedDemoDirectory(env.DATABASE_URL);

  step(`starting ${services.map((service) => service.name).join(', ')}`);
  const logDirectory = join(root, 'tmp', 'logs');
  mkdirSync(logDirectory, { recursive: true });
  for (const service of services) {
    service.logFile = join(logDirectory, `${service.name}.log`);
    const log = createWriteStream(service.logFile, { flags: 'a' });
    service.process = spawn(process.execPath, [service.entry], {
      env: { ...process.env, ...env, ...service.env, PORT: String(service.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.process.stdout.pipe(log);
    service.process.stderr.pipe(log);
    service.process.on('exit', (code, signal) => {
      if (!stopping) console.error(`✖ ${service.name} stopped (${signal ?? `exit ${code}`}); see ${service.logFile}`);
    });
    await waitReady(service);
    console.log(`  ✔ ${service.name} on http://127.0.0.1:${service.port}`);
  }
  const gateway = services.find((service) => service.name === 'gateway');
  console.log(`
PolicyVault is running.
  Admin UI:  http://127.0.0.1:${gateway.port}/   (sign in as a demo user, e.g. owner@contoso.test)
  Gateway:   http://127.0.0.1:${gateway.port}   (OpenAPI: http://127.0.0.1:${gateway.port}/docs)
  Graph:     ${usesRealGraph ? env.GRAPH_BASE_URL : `emulator on http://127.0.0.1:${emulatorPort}`}
  Logs:      ${logDirectory}
  A token:   npm run --silent token -- owner@contoso.test
  Try:       curl -H "Authorization: Bearer $(npm run --silent token -- owner@contoso.test)" http://127.0.0.1:${gateway.port}/api/tenants
Ctrl-C stops everything.`);
}

let stopping = false;
function stopAll() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  for (const service of [...services].reverse()) service.process?.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

main().catch((error) => {
  console.error(`\n✖ ${error.message}`);
  stopAll();
  process.exitCode = 1;
});
