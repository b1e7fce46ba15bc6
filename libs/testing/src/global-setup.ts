// Runs once before the suite: checks that the real Postgres and NATS JetStream are there (a missing
// service fails the run with a message saying what to start), then builds the migrated template
// database every test file clones.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NATS_URL, POSTGRES_ADMIN_URL, databaseUrl, templateDatabaseName } from './test-run.js';

const run = promisify(execFile);

export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await checkPostgres();
  await checkNats();
  if (!existsSync('dist/package.json')) {
    throw new Error('dist/ is missing: `npm test` builds before running jest (npm run build)');
  }
  const template = templateDatabaseName();
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${template}"`);
  await client.query(`CREATE DATABASE "${template}"`);
  await client.end();
  await run(process.execPath, ['tools/scripts/migrate.mjs'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(template) },
  });
}

async function checkPostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${(error as Error).message}). Start it: ` +
        'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkNats(): Promise<void> {
  try {
    const connection = await connect({ servers: NATS_URL, timeout: 3000 });
    await (await jetstreamManager(connection)).getAccountInfo();
    await connection.close();
  } catch (error) {
    throw new Error(
      `NATS with JetStream is not reachable at ${NATS_URL} (${(error as Error).message}). Start it: ` +
        'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js ' +
        '-sd /var/lib/nats-server -l /var/log/nats-server.log',
    );
  }
}
