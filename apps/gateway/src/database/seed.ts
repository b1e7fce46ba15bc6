#!/usr/bin/env node
// `npm run seed`: the demo tenants (Contoso, Fabrikam, as the Graph emulator knows them) and their
// users. Idempotent: running it again restores names and roles without duplicating anything.
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { DEMO_TENANTS } from '@policyvault/contracts';
import { serviceDataSourceOptions } from '@policyvault/platform';
import { DEMO_USERS } from './demo-directory.js';
import { MembershipEntity } from '../tenants/membership.entity.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { UserEntity } from '../tenants/user.entity.js';
import { GATEWAY_DATABASE } from './gateway-database.js';

export async function seedDemoDirectory(databaseUrl: string): Promise<void> {
  const dataSource = new DataSource({ ...serviceDataSourceOptions(databaseUrl, GATEWAY_DATABASE), poolSize: 1, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    await dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(TenantEntity)
        .values(DEMO_TENANTS.map(({ id, displayName, directoryId }) => ({ id, displayName, directoryId })))
        .orUpdate(['display_name', 'directory_id'], ['id'])
        .execute();
      for (const user of DEMO_USERS) {
        // A user already known by email keeps their id (memberships elsewhere may point to it).
        await manager
          .createQueryBuilder()
          .insert()
          .into(UserEntity)
          .values({ id: user.id, email: user.email, displayName: user.displayName, directoryRole: user.directoryRole ?? null })
          .orUpdate(['display_name', 'directory_role'], ['email'])
          .execute();
        const { id: userId } = await manager.findOneByOrFail(UserEntity, { email: user.email });
        if (user.memberships.length === 0) continue;
        await manager
          .createQueryBuilder()
          .insert()
          .into(MembershipEntity)
          .values(user.memberships.map(({ tenantId, role }) => ({ userId, tenantId, role })))
          .orUpdate(['role'], ['user_id', 'tenant_id'])
          .execute();
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
