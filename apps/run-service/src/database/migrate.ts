import { runServiceMigrations } from '@policyvault/platform';
import { RUN_SERVICE_DATABASE } from './run-service.schema.js';

export function runMigrations(url: string): Promise<string[]> {
  return runServiceMigrations(url, RUN_SERVICE_DATABASE);
}
