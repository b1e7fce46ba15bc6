import type { PolicyEntity } from '../store/policy.entity.js';

// The backup store's hand-written SQL: only set-based or single-round-trip statements that the query
// builder cannot express. Everything else goes through TypeORM repositories and the query builder.
// Each statement comes with the type of the rows it returns.

/** The policy columns, under the entity's property names. */
const POLICY_COLUMNS = `id, tenant_id AS "tenantId", policy_type AS "policyType", graph_id AS "graphId", display_name AS "displayName",
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", missing_since AS "missingSince", latest_version_id AS "latestVersionId",
  list_entry_hash AS "listEntryHash", list_entry_version_id AS "listEntryVersionId", full_read_at AS "fullReadAt", reused_since_full_read AS "reusedSinceFullRead"`;

/**
 * One inventory listing in one statement: new objects are added, known ones are marked seen (and no
 * longer missing). $1 tenant, $2 policy type, $3 Graph ids, $4 display names, $5 seen at.
 */
export const UPSERT_LISTED_POLICIES = `
  INSERT INTO capture.policies (tenant_id, policy_type, graph_id, display_name, first_seen_at, last_seen_at)
  SELECT $1, $2, listed.graph_id, listed.display_name, $5, $5
  FROM unnest($3::text[], $4::text[]) AS listed (graph_id, display_name)
  ON CONFLICT (tenant_id, policy_type, graph_id) DO UPDATE SET
    display_name = EXCLUDED.display_name,
    last_seen_at = GREATEST(capture.policies.last_seen_at, EXCLUDED.last_seen_at),
    missing_since = NULL
  RETURNING ${POLICY_COLUMNS}, (xmax = 0) AS inserted`;

export type UpsertedPolicyRow = PolicyEntity & { inserted: boolean };

/**
 * Stores a snapshot as the policy's latest version in one round trip: lock the policy, insert the
 * version unless its content is stored, pick the new or the existing version, make it the latest.
 * `previous` is the latest version before this capture. $1 new version id, $2 tenant, $3 policy,
 * $4 content hash, $5 snapshot JSON, $6 size in bytes, $7 run, $8 display name.
 */
export const RECORD_VERSION = `
  WITH policy AS (
    SELECT id, latest_version_id FROM capture.policies WHERE id = $3 AND tenant_id = $2 FOR UPDATE
  ), inserted AS (
    INSERT INTO capture.policy_versions (id, tenant_id, policy_id, content_hash, snapshot, size_bytes, captured_at, captured_by_run_id)
    SELECT $1, $2, policy.id, $4, $5::jsonb, $6, clock_timestamp(), $7 FROM policy
    ON CONFLICT (policy_id, content_hash) DO NOTHING
    RETURNING id, captured_by_run_id
  ), chosen AS (
    SELECT id, captured_by_run_id, true AS inserted FROM inserted
    UNION ALL
    SELECT v.id, v.captured_by_run_id, false FROM capture.policy_versions v JOIN policy ON v.policy_id = policy.id
    WHERE v.tenant_id = $2 AND v.content_hash = $4 AND NOT EXISTS (SELECT 1 FROM inserted)
  ), updated AS (
    UPDATE capture.policies p SET latest_version_id = chosen.id, display_name = $8,
      last_seen_at = GREATEST(p.last_seen_at, clock_timestamp()), missing_since = NULL
    FROM chosen WHERE p.id = $3 AND p.tenant_id = $2
    RETURNING p.id
  )
  SELECT chosen.id, chosen.captured_by_run_id AS "capturedByRunId", COALESCE(chosen.inserted, false) AS inserted,
         policy.latest_version_id AS previous, true AS found
  FROM policy LEFT JOIN chosen ON true`;

/** No row: the policy is not in this tenant. A null id: a concurrent capture committed the same content meanwhile. */
export interface RecordVersionRow {
  id: string | null;
  capturedByRunId: string | null;
  inserted: boolean;
  previous: string | null;
  found: boolean;
}

/**
 * Adds a policy's version to a set once, only when the set is this tenant's: nothing comes back when
 * the policy is already in the set. $1 new item id, $2 tenant, $3 set, $4 policy, $5 version,
 * $6 is foundation, $7 run, $8 reference names JSON.
 */
export const ADD_BACKUP_ITEM = `
  INSERT INTO capture.backup_items (id, tenant_id, backup_set_id, policy_id, policy_version_id, is_foundation, added_by_run_id, added_at, reference_names)
  SELECT $1, $2, s.id, $4, $5, $6, $7, clock_timestamp(), $8::jsonb FROM capture.backup_sets s WHERE s.id = $3 AND s.tenant_id = $2
  ON CONFLICT (backup_set_id, policy_id) DO NOTHING
  RETURNING id`;

export interface AddedBackupItemRow {
  id: string;
}

/**
 * Retention: deletes those of the given versions that nothing references any more (no backup item,
 * no policy's latest version). $1 tenant, $2 version ids.
 */
export const DELETE_UNREFERENCED_VERSIONS = `
  DELETE FROM capture.policy_versions v
  WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
    AND NOT EXISTS (SELECT 1 FROM capture.backup_items i WHERE i.policy_version_id = v.id)
    AND NOT EXISTS (SELECT 1 FROM capture.policies p WHERE p.latest_version_id = v.id)
  RETURNING v.id`;

export interface DeletedVersionRow {
  id: string;
}
