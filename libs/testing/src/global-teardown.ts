// Drops every database and JetStream stream this test run created (names carry TEST_RUN_ID).
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NATS_URL, POSTGRES_ADMIN_URL, testRunId } from './test-run.js';

export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATA === 'true') return;
  const prefix = `pvt_${testRunId()}_`;
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1`,
    [`${prefix}%`],
  );
  for (const { datname } of rows) {
    await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await client.end();
  const connection = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(connection);
  for await (const name of manager.streams.names()) {
    if (name.toLowerCase().startsWith(prefix)) await manager.streams.delete(name);
  }
  await connection.close();
}
