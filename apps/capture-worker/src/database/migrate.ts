import { runServiceMigrations } from '@policyvault/platform';
import { CAPTURE_DATABASE } from './capture.schema.js';

export function runMigrations(url: string): Promise<string[]> {
  return runServiceMigrations(url, CAPTURE_DATABASE);
}
