#!/usr/bin/env node
// `npm run seed`: the demo tenants (Contoso, Fabrikam, as the Graph emulator knows them) and their
// users. Idempotent: running it again restores names and roles without duplicating anything.
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { DEMO_TENANTS } from '@policyvault/contracts';
import { serviceDataSourceOptions } from '@policyvault/platform';
import { DEMO_USERS } from './demo-directory.js';
import { GATEWAY_DATABASE } from './gateway-database.js';

export async function seedDemoDirectory(databaseUrl: string): Promise<void> {
  const dataSource = new DataSource({ ...serviceDataSourceOptions(databaseUrl, GATEWAY_DATABASE), poolSize: 1, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    await dataSource.transaction(async (manager) => {
      for (const tenant of DEMO_TENANTS) {
        await manager.query(
          `INSERT INTO "gateway"."tenants" ("id", "display_name", "directory_id") VALUES ($1, $2, $3)
           ON CONFLICT ("id") DO UPDATE SET "display_name" = EXCLUDED."display_name", "directory_id" = EXCLUDED."directory_id"`,
          [tenant.id, tenant.displayName, tenant.directoryId],
        );
      }
      for (const user of DEMO_USERS) {
        await manager.query(
          `INSERT INTO "gateway"."users" ("id", "email", "display_name") VALUES ($1, $2, $3)
           ON CONFLICT ("email") DO UPDATE SET "display_name" = EXCLUDED."display_name"`,
          [user.id, user.email, user.displayName],
        );
        for (const membership of user.memberships) {
          await manager.query(
            `INSERT INTO "gateway"."memberships" ("user_id", "tenant_id", "role")
             SELECT "id", $2, $3 FROM "gateway"."users" WHERE "email" = $1
             ON CONFLICT ("user_id", "tenant_id") DO UPDATE SET "role" = EXCLUDED."role"`,
            [user.email, membership.tenantId, membership.role],
          );
        }
      }
    });
  } finally {
    await dataSource.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required (e.g. postgres://postgres@127.0.0.1:5432/policyvault)');
    process.exit(1);
  }
  seedDemoDirectory(url).then(
    () => console.log(`gateway: seeded ${DEMO_TENANTS.length} tenants and ${DEMO_USERS.length} users`),
    (error: Error) => {
      console.error(`seed failed: ${error.message}`);
      process.exit(1);
    },
  );
}
