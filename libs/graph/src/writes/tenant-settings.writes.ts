import { stripWithContract } from '../contracts/strip-for-write.js';
import { UnwritableSnapshotError, versionPath, type WriteStrategy } from './planned-request.js';

/**
 * Tenant-wide settings (`deviceManagement/settings`, a property of the tenant's one `deviceManagement`):
 * written as `PATCH /deviceManagement` with `{ settings }`; never created (every tenant has them).
 */
export const tenantSettingsWrites: WriteStrategy = {
  create: () => {
    throw new UnwritableSnapshotError('built_in');
  },
  update: (input) => {
    if (input.changed.size === 0) return [];
    const property = input.contract.collectionPath.split('/').pop()!;
    const owner = input.contract.collectionPath.slice(0, -property.length - 1);
    return [{ method: 'PATCH', path: versionPath(input.contract, owner), body: { [property]: stripWithContract(input.contract, input.snapshot, 'update') }, purpose: 'update' }];
  },
};
