import { runServiceMigrations } from '@policyvault/platform';
import { GATEWAY_DATABASE } from './gateway-database.js';

/** Called by tools/scripts/migrate.mjs (npm run migrate, and the test suite's template database). */
export function runMigrations(url: string): Promise<string[]> {
  return runServiceMigrations(url, GATEWAY_DATABASE);
}
