import { DataSource } from 'typeorm';
import { serviceDataSourceOptions, type ServiceDatabaseOptions } from './database.module.js';

/**
 * Applies a service's pending migrations inside its own schema. A Postgres advisory lock makes
 * concurrent callers (several replicas, or `npm start` next to a test) take turns.
 */
export async function runServiceMigrations(url: string, options: ServiceDatabaseOptions): Promise<string[]> {
  const dataSource = new DataSource({ ...serviceDataSourceOptions(url, options), poolSize: 2, extra: { max: 2 } });
  await dataSource.initialize();
  try {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`policyvault:migrations:${options.schema}`]);
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`policyvault:migrations:${options.schema}`]);
      await runner.release();
    }
  } finally {
    await dataSource.destroy();
  }
}
