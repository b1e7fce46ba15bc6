#!/usr/bin/env node
// Runs the migrations of every service that owns tables (each in its own Postgres schema) against
// DATABASE_URL. Needs a build (dist/). Each service exports runMigrations(url) from src/database/migrate.js.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVICES_WITH_TABLES = ['gateway', 'run-service', 'capture-worker', 'restore-worker', 'notifier'];

export async function migrateAll(databaseUrl) {
  for (const service of SERVICES_WITH_TABLES) {
    const entry = join(root, 'dist/apps', service, 'src/database/migrate.js');
    if (!existsSync(entry)) continue;
    const { runMigrations } = await import(pathToFileURL(entry).href);
    const applied = await runMigrations(databaseUrl);
    if (applied.length > 0) console.log(`${service}: applied ${applied.join(', ')}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required (e.g. postgres://postgres@127.0.0.1:5432/policyvault)');
    process.exit(1);
  }
  migrateAll(url).catch((error) => {
    console.error(`migration failed: ${error.message}`);
    process.exit(1);
  });
}
