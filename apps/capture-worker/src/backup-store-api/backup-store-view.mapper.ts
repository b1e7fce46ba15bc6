import { mapSecretEnvelopes, maskSecretEnvelopes, secretEnvelopePaths } from '@policyvault/platform';
import { OMITTED_SECRET_VALUE, type BackupExportSecretMode, type BackupItemView, type BackupSetView, type ExportedBackupItem, type PolicyVersionSummary, type PolicyVersionView, type PolicyView } from '@policyvault/contracts';
import type { BackupItemEntity } from '../store/backup-item.entity.js';
import type { BackupSetEntity } from '../store/backup-set.entity.js';
import type { PolicyVersionEntity } from '../store/policy-version.entity.js';
import type { PolicyEntity } from '../store/policy.entity.js';

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

/** A version with its policy, as `getPolicyVersion` loads it. */
export type PolicyVersionWithPolicy = PolicyVersionEntity & { policy: PolicyEntity };

/** An item with its policy and version (the version's snapshot only when asked for). */
export type BackupItemWithPolicy = BackupItemEntity & { policy: PolicyEntity; version: PolicyVersionEntity };

export function toPolicyView(policy: PolicyEntity): PolicyView {
  return {
    id: policy.id,
    tenantId: policy.tenantId,
    graphId: policy.graphId,
    policyType: policy.policyType,
    displayName: policy.displayName,
    firstSeenAt: iso(policy.firstSeenAt),
    lastSeenAt: iso(policy.lastSeenAt),
    missingSince: isoOrNull(policy.missingSince),
    latestVersionId: policy.latestVersionId,
  };
}

export function toPolicyVersionSummary(version: PolicyVersionEntity): PolicyVersionSummary {
  return {
    id: version.id,
    policyId: version.policyId,
    contentHash: version.contentHash,
    capturedAt: iso(version.capturedAt),
    capturedByRunId: version.capturedByRunId,
    sizeBytes: version.sizeBytes,
  };
}

/** For the gateway: secret values show as `{ secret: true }` (never plaintext or ciphertext). */
export function toPolicyVersionView(version: PolicyVersionWithPolicy): PolicyVersionView {
  return {
    ...toPolicyVersionSummary(version),
    tenantId: version.tenantId,
    graphId: version.policy.graphId,
    policyType: version.policy.policyType,
    displayName: version.policy.displayName,
    snapshot: maskSecretEnvelopes(version.snapshot),
  };
}

export function toBackupSetView(set: BackupSetEntity, itemCount: number): BackupSetView {
  return {
    id: set.id,
    tenantId: set.tenantId,
    name: set.name,
    status: set.status,
    includeFoundations: set.includeFoundations,
    itemCount,
    createdByRunId: set.createdByRunId,
    scheduleId: set.scheduleId,
    createdAt: iso(set.createdAt),
    completedAt: isoOrNull(set.completedAt),
  };
}

/**
 * Items carry snapshots only for the restore-worker (`includeSnapshots`; the gateway never asks): with
 * secret values as their envelopes, which only a holder of the key can open.
 * @param odataType the version snapshot's `@odata.type`, selected on its own (snapshots are loaded only when asked for).
 */
export function toBackupItemView(item: BackupItemWithPolicy, odataType: string | null): BackupItemView {
  return {
    id: item.id,
    backupSetId: item.backupSetId,
    policyId: item.policyId,
    policyVersionId: item.policyVersionId,
    policyType: item.policy.policyType,
    graphId: item.policy.graphId,
    displayName: item.policy.displayName,
    isFoundation: item.isFoundation,
    addedByRunId: item.addedByRunId,
    addedAt: iso(item.addedAt),
    odataType,
    references: item.referenceNames ?? {},
    ...(item.version.snapshot !== undefined ? { snapshot: item.version.snapshot } : {}),
  };
}

/**
 * For an export (the gateway's zip download): the whole snapshot with its content hash. In `omit` mode
 * no envelope leaves this service (each becomes OMITTED_SECRET_VALUE); in `encrypted` mode envelopes go
 * as stored. Plaintext is never here to leave: the store holds none.
 */
export function toExportedBackupItem(item: BackupItemWithPolicy, odataType: string | null, secrets: BackupExportSecretMode): ExportedBackupItem {
  const stored = item.version.snapshot;
  return {
    id: item.id,
    policyId: item.policyId,
    policyVersionId: item.policyVersionId,
    policyType: item.policy.policyType,
    graphId: item.policy.graphId,
    displayName: item.policy.displayName,
    isFoundation: item.isFoundation,
    odataType,
    contentHash: item.version.contentHash,
    snapshot: secrets === 'omit' ? (mapSecretEnvelopes(stored, () => ({ ...OMITTED_SECRET_VALUE })) as Record<string, unknown>) : stored,
    secretPaths: secretEnvelopePaths(stored),
  };
}
