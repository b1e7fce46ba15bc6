// Names that keep concurrent test runs (and the test files inside one run) apart:
// every run has its own databases and JetStream streams, derived from TEST_RUN_ID.
import { randomBytes } from 'node:crypto';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export function testRunId(): string {
  const id = process.env.TEST_RUN_ID;
  if (!id) throw new Error('TEST_RUN_ID is not set: run the suite through `npm test` (jest globalSetup sets it)');
  return id;
}

export function templateDatabaseName(): string {
  return `pvt_${testRunId()}_template`;
}

/** A fresh name for one test file's database or NATS namespace: `pvt_<run>_<random>`. */
export function uniqueName(prefix = 'pvt'): string {
  return `${prefix}_${testRunId()}_${randomBytes(4).toString('hex')}`;
}

export function databaseUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
