import { DEMO_TENANTS, DirectoryRole, TenantRole } from '@policyvault/contracts';

const [contoso, fabrikam] = DEMO_TENANTS;

export interface DemoUser {
  id: string;
  email: string;
  displayName: string;
  directoryRole?: DirectoryRole;
  memberships: { tenantId: string; role: TenantRole }[];
}

/** The people of a local checkout and of the tests (`npm run token -- owner@contoso.test`). */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: '5d1b7a10-0000-4000-8000-000000000001',
    email: 'owner@contoso.test',
    displayName: 'Contoso Owner',
    memberships: [{ tenantId: contoso.id, role: TenantRole.Owner }],
  },
  {
    id: '5d1b7a10-0000-4000-8000-000000000002',
    email: 'operator@contoso.test',
    displayName: 'Contoso Operator',
    memberships: [{ tenantId: contoso.id, role: TenantRole.Operator }],
  },
  {
    id: '5d1b7a10-0000-4000-8000-000000000003',
    email: 'reader@contoso.test',
    displayName: 'Contoso Reader',
    memberships: [{ tenantId: contoso.id, role: TenantRole.Reader }],
  },
  {
    id: '5d1b7a10-0000-4000-8000-000000000004',
    email: 'owner@fabrikam.test',
    displayName: 'Fabrikam Owner',
    memberships: [{ tenantId: fabrikam.id, role: TenantRole.Owner }],
  },
  {
    // The MSP's administrator: member of nothing, sees and manages every tenant by directory role.
    id: '5d1b7a10-0000-4000-8000-000000000009',
    email: 'admin@msp.test',
    displayName: 'MSP Admin',
    directoryRole: DirectoryRole.Admin,
    memberships: [],
  },
];
