import { runServiceMigrations } from '@policyvault/platform';
import { RESTORE_DATABASE } from './restore.schema.js';

export function runMigrations(url: string): Promise<string[]> {
  return runServiceMigrations(url, RESTORE_DATABASE);
}
