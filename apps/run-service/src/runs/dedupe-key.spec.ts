import { RunType } from '@policyvault/contracts';
import { canonicalize, dedupeKey, stableHash } from './dedupe-key.js';

describe('de-duplication key', () => {
  it('ignores key order, selection order, duplicates and defaulted values', () => {
    const a = { policyIds: ['b', 'a', 'a'], includeFoundations: false, policyTypes: [] };
    const b = { policyIds: ['a', 'b'] };
    expect(stableHash(a)).toBe(stableHash(b));
    expect(canonicalize({ z: 1, a: { y: true, x: null } })).toEqual({ a: { y: true }, z: 1 });
  });

  it('differs when the work differs', () => {
    expect(stableHash({ policyIds: ['a'] })).not.toBe(stableHash({ policyIds: ['a', 'b'] }));
    expect(stableHash({ includeFoundations: true })).not.toBe(stableHash({}));
    const scope = stableHash({});
    const tenant = '00000000-0000-4000-8000-000000000001';
    expect(dedupeKey(tenant, RunType.BackupSetCreate, { name: 'x' }, scope)).not.toBe(
      dedupeKey(tenant, RunType.BackupSetCreate, { name: 'y' }, scope),
    );
    expect(dedupeKey(tenant, RunType.RestorePreview, { backupSetId: 'x' }, scope)).not.toBe(
      dedupeKey(tenant, RunType.RestoreExecute, { backupSetId: 'x' }, scope),
    );
  });
});
