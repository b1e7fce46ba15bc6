import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, type GraphClient } from '@policyvault/graph';
import type { PoliciesRepository } from '../store/policies.repository.js';
import { InventoryService } from './inventory.service.js';

/** A client whose every listing fails with `error`. */
const refusing = (error: GraphError) =>
  ({
    tenantId: 'fake',
    readOnly: true,
    listAll: async () => {
      throw error;
    },
  }) as unknown as GraphClient;

// Not reached: a listing that fails records nothing.
const untouchedRepository = {} as PoliciesRepository;

describe('InventoryService.syncType', () => {
  it('a type Graph refuses to list (403: a permission the app lacks) is forbidden, naming the permissions, never failed', async () => {
    const sync = await new InventoryService(untouchedRepository).syncType(refusing(new GraphError({ code: SafeErrorCode.GraphForbidden, httpStatus: 403 })), 'tenant-1', 'roleDefinition', 1000);
    expect(sync).toEqual({
      kind: 'forbidden',
      policyType: 'roleDefinition',
      error: { code: SafeErrorCode.MissingPermissions, message: expect.stringContaining('lacks a permission'), context: { policyType: 'roleDefinition', httpStatus: 403, missingPermissions: 'DeviceManagementRBAC.Read.All' } },
    });
  });

  it('any other definite refusal (400) still fails the type', async () => {
    const sync = await new InventoryService(untouchedRepository).syncType(refusing(new GraphError({ code: SafeErrorCode.GraphBadRequest, httpStatus: 400 })), 'tenant-1', 'deviceCategory', 1000);
    expect(sync).toMatchObject({ kind: 'failed', policyType: 'deviceCategory', error: { code: SafeErrorCode.GraphBadRequest } });
  });
});
