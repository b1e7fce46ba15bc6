import { runServiceMigrations } from '@policyvault/platform';
import { NOTIFIER_DATABASE } from './notifier.schema.js';

export function runMigrations(url: string): Promise<string[]> {
  return runServiceMigrations(url, NOTIFIER_DATABASE);
}
