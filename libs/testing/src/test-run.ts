// Names that keep concurrent test runs (and the test files inside one run) apart: every run has its
// own databases and JetStream streams, derived from TEST_RUN_ID (set by global-setup.mjs or CI).
import { randomBytes } from 'node:crypto';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`npm test\` (jest's globalSetup sets it)`);
  return value;
}

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export function testRunId(): string {
  return required('TEST_RUN_ID');
}

export function templateDatabaseName(): string {
  return required('TEST_TEMPLATE_DATABASE');
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
