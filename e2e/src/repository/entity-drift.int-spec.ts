// TypeORM entities are the single description of each table, and migrations stay explicit: this test
// keeps the two in step. For every service it opens a data source with the service's own options
// (schema, entities) over a clone of the migrated template database and asks TypeORM what
// `synchronize` would change. Anything it would change is drift between an entity and the migrations.
//
// The services' database options are loaded from the build (dist/), the way tools/scripts/migrate.mjs
// loads their migrations for the template: e2e code may not import apps, and the build is the code the
// template was migrated with.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { serviceDataSourceOptions, type ServiceDatabaseOptions } from '@policyvault/platform';
import { createTestDatabase, type TestDatabase } from '@policyvault/testing';

/** Each service that owns tables: the module (under dist/apps/<service>/src/database/) exporting its database options. */
const SERVICE_DATABASES = [
  { service: 'gateway', module: 'gateway-database.js', name: 'GATEWAY_DATABASE' },
  { service: 'run-service', module: 'run-service.schema.js', name: 'RUN_SERVICE_DATABASE' },
  { service: 'capture-worker', module: 'capture.schema.js', name: 'CAPTURE_DATABASE' },
  { service: 'restore-worker', module: 'restore.schema.js', name: 'RESTORE_DATABASE' },
  { service: 'notifier', module: 'notifier.schema.js', name: 'NOTIFIER_DATABASE' },
];

async function loadDatabaseOptions(service: string, module: string, name: string): Promise<ServiceDatabaseOptions> {
  const file = join(resolve(process.cwd()), 'dist/apps', service, 'src/database', module);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npm run build)`);
  const options = (await import(pathToFileURL(file).href))[name] as ServiceDatabaseOptions | undefined;
  if (!options) throw new Error(`${file} does not export ${name}`);
  return options;
}

/** The statements `synchronize` would run for these entities; none when they match the migrated tables. */
async function pendingSchemaChanges(url: string, options: ServiceDatabaseOptions): Promise<string[]> {
  const dataSource = new DataSource({ ...serviceDataSourceOptions(url, options), migrations: [], poolSize: 1, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    const log = await dataSource.driver.createSchemaBuilder().log();
    return log.upQueries.map((query) => query.query.replace(/\s+/g, ' ').trim());
  } finally {
    await dataSource.destroy();
  }
}

describe('entities match the migrated tables', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database.drop());

  it.each(SERVICE_DATABASES)('$service', async ({ service, module, name }) => {
    const changes = await pendingSchemaChanges(database.url, await loadDatabaseOptions(service, module, name));
    // The statements themselves are the useful failure message: they say which column, index or key differs.
    expect(changes.join(';\n')).toBe('');
  });

  it('notices an entity that does not match its migration', async () => {
    @Entity({ name: 'policies' })
    class DriftedPolicyEntity {
      @PrimaryColumn('uuid')
      id: string;

      // No migration made this column.
      @Column('text', { name: 'nickname' })
      nickname: string;
    }
    const changes = await pendingSchemaChanges(database.url, { schema: 'capture', entities: [DriftedPolicyEntity], migrations: [] });
    expect(changes.join('\n')).toMatch(/ALTER TABLE "capture"\."policies" ADD "nickname" text NOT NULL/);
  });
});
