import { referencedObjects, withObjectReferences, type ObjectReference } from '@policyvault/graph';

/**
 * Across tenants an object that names one this run does not restore (a location or policy set member left out of
 * the selection, or whose restore failed) cannot be written: its id means nothing in the target tenant.
 */
export const REFERENCES_NOT_RESTORED_REASON = 'references_not_restored';

type GraphObject = Record<string, unknown>;

/** Conditional Access states a restore never enforces by default: `enabled` comes back as report-only. */
export const ENFORCED_STATE = 'enabled';
export const REPORT_ONLY_STATE = 'enabledForReportingButNotEnforced';

/**
 * The objects one restore run has matched or written, by policy type and id in the captured tenant: the
 * target tenant's id each got (matched live object, or the one its create made). Items of a later pass
 * (Conditional Access policies after named locations, policy sets after their members) have their
 * references to such objects mapped through it; a reference to an object the run does not restore keeps
 * its id (same tenant: it still names that object).
 */
export class RestoredObjects {
  private readonly ids = new Map<string, string>();
  /** Objects a preview plans to create: a later pass's reference to one will be restored (its id is not known yet). */
  private readonly planned = new Set<string>();

  /** A preview's `create` plan: the object will exist once restored. */
  expectCreated(policyType: string, sourceId: string): void {
    this.planned.add(`${policyType}|${sourceId}`);
  }

  /** True when the run restores (or will restore) the referenced object. */
  knows(reference: ObjectReference): boolean {
    const key = `${reference.policyType}|${reference.id}`;
    return this.ids.has(key) || this.planned.has(key);
  }

  record(policyType: string, sourceId: string | null | undefined, targetId: string | null | undefined): void {
    if (sourceId && targetId) this.ids.set(`${policyType}|${sourceId}`, targetId);
  }

  /**
   * An item's ledger result (`previousId`, then `newId` or `liveId`); one without a target id (its create failed)
   * no longer counts as restored for later passes.
   */
  recordResult(result: Record<string, unknown> | null | undefined): void {
    if (!result || typeof result.policyType !== 'string' || typeof result.previousId !== 'string') return;
    const target = typeof result.newId === 'string' ? result.newId : typeof result.liveId === 'string' ? result.liveId : undefined;
    if (target === undefined) this.planned.delete(`${result.policyType}|${result.previousId}`);
    this.record(result.policyType, result.previousId, target);
  }

  targetOf(reference: ObjectReference): string | undefined {
    return this.ids.get(`${reference.policyType}|${reference.id}`);
  }

  /** The snapshot with its references to objects of this run replaced by the target tenant's ids. */
  mapSnapshot(policyType: string, snapshot: GraphObject): GraphObject {
    if (referencedObjects(policyType, snapshot).length === 0) return snapshot;
    return withObjectReferences(policyType, snapshot, (reference) => this.targetOf(reference));
  }
}

/**
 * A Conditional Access policy as a restore writes it: an `enabled` policy becomes report-only unless the run
 * keeps captured states (`keepConditionalAccessState`); `disabled` and report-only stay as they are.
 */
export function withRestoreState(policyType: string, snapshot: GraphObject, keepCapturedState: boolean): GraphObject {
  if (policyType !== 'conditionalAccessPolicy' || keepCapturedState || snapshot.state !== ENFORCED_STATE) return snapshot;
  return { ...snapshot, state: REPORT_ONLY_STATE };
}
