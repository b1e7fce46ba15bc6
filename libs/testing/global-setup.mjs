// jest globalSetup (plain ESM JavaScript: jest loads it outside the test transform). Runs once before
// the suite: checks that the real Postgres and NATS JetStream answer (a missing service fails the run
// with a message saying what to start), then builds the migrated template database that every test
// file clones. Everything the tests need to find it is passed on through environment variables.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

const run = promisify(execFile);

export default async function globalSetup() {
  process.env.TEST_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env.TEST_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.TEST_NATS_URL ??= 'nats://127.0.0.1:4222';
  process.env.TEST_TEMPLATE_DATABASE = `pvt_${process.env.TEST_RUN_ID}_template`;
  await checkPostgres(process.env.TEST_POSTGRES_URL);
  await checkNats(process.env.TEST_NATS_URL);
  if (!existsSync('dist/package.json')) {
    throw new Error('dist/ is missing: `npm test` builds before running jest (npm run build)');
  }
  const template = process.env.TEST_TEMPLATE_DATABASE;
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${template}"`);
  await client.query(`CREATE DATABASE "${template}"`);
  await client.end();
  const url = new URL(process.env.TEST_POSTGRES_URL);
  url.pathname = `/${template}`;
  await run(process.execPath, ['tools/scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: url.toString() } });
}

async function checkPostgres(connectionString) {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${connectionString} (${error.message}). Start it: ` +
        'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkNats(servers) {
  try {
    const connection = await connect({ servers, timeout: 3000 });
    await (await jetstreamManager(connection)).getAccountInfo();
    await connection.close();
  } catch (error) {
    throw new Error(
      `NATS with JetStream is not reachable at ${servers} (${error.message}). Start it: ` +
        'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js ' +
        '-sd /var/lib/nats-server -l /var/log/nats-server.log',
    );
  }
}
