import type { DriftItemStatus, FieldDifference } from '@policyvault/contracts';
import { compareDirectAssignments, compareObjects, NO_SECRET_VALUES, type PolicyTypeContract, type SecretComparison } from '@policyvault/graph';
import type { LiveLookup } from '../planning/live-tenant.js';

type GraphObject = Record<string, unknown>;

export interface DriftOfItem {
  status: Exclude<DriftItemStatus, 'added'>;
  liveId: string | null;
  differences: FieldDifference[];
}

/**
 * A baseline policy against what the tenant holds now, compared as a restore preview compares (the
 * shared `compare/` module: normalized, order-free arrays in a stable order, secret values by digest
 * and shown only as markers) plus its direct assignments as a set: `removed` when nothing live matches
 * it, `changed` with the differences, or `unchanged`. Pure.
 */
export function driftOfBaselineItem(
  contract: PolicyTypeContract,
  snapshot: GraphObject,
  lookup: Extract<LiveLookup, { kind: 'found' } | { kind: 'missing' }>,
  secrets: SecretComparison = NO_SECRET_VALUES,
): DriftOfItem {
  if (lookup.kind === 'missing') return { status: 'removed', liveId: null, differences: [] };
  const differences = [...compareObjects(contract, lookup.live, snapshot, secrets), ...(contract.assignment ? compareDirectAssignments(lookup.live, snapshot) : [])];
  return { status: differences.length > 0 ? 'changed' : 'unchanged', liveId: lookup.liveId, differences };
}
