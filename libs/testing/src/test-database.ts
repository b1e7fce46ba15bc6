import pg from 'pg';
import { POSTGRES_ADMIN_URL, databaseUrl, templateDatabaseName, uniqueName } from './test-run.js';

export interface TestDatabase {
  name: string;
  url: string;
  /** A small pool for assertions and set-up straight against the tables. */
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template (fast: no migrations). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName()}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client ended by the database's drop (WITH FORCE) must not fail the test file as an unhandled error.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
