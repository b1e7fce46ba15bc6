// jest globalTeardown: drops every database and JetStream stream this test run created (their names
// carry TEST_RUN_ID). KEEP_TEST_DATA=true keeps them for a post-mortem.
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export default async function globalTeardown() {
  if (process.env.KEEP_TEST_DATA === 'true') return;
  const prefix = `pvt_${process.env.TEST_RUN_ID}_`;
  const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
  await client.connect();
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await client.end();
  const connection = await connect({ servers: process.env.TEST_NATS_URL });
  const manager = await jetstreamManager(connection);
  for await (const name of manager.streams.names()) {
    if (name.toLowerCase().startsWith(prefix)) await manager.streams.delete(name);
  }
  await connection.close();
}
