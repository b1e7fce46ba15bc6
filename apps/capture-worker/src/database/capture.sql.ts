import { PreparedStatement } from '@policyvault/platform';
import type { RecordedSelectionProblem } from '../store/backup-set-selection.entity.js';
import type { PolicyEntity } from '../store/policy.entity.js';

// The backup store's hand-written SQL: only set-based or single-round-trip statements that the query
// builder cannot express. Everything else goes through TypeORM repositories and the query builder.
// Each statement comes with the type of the rows it returns; those a capture runs per chunk or per listing
// are prepared statements (planned once per connection: their planning cost about as much as their execution).

/** The policy columns, under the entity's property names. */
const POLICY_COLUMNS = `id, tenant_id AS "tenantId", policy_type AS "policyType", graph_id AS "graphId", display_name AS "displayName",
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", missing_since AS "missingSince", latest_version_id AS "latestVersionId",
  list_entry_hash AS "listEntryHash", list_entry_version_id AS "listEntryVersionId", full_read_at AS "fullReadAt", reused_since_full_read AS "reusedSinceFullRead"`;

/**
 * Complete listings of distinct types in one statement (one round trip, one commit), each recorded as if alone: new
 * objects are added, known ones marked seen (and no longer missing), those of the listing's type it no longer has
 * marked missing; and, for a backup run, each listing with a part recorded as that part of the run's selection (its
 * policies in listing order), unless a delivery of the run recorded that part first. Listed and unlisted rows are
 * disjoint, so no row is changed twice; rows are upserted in (type, Graph id) order, so two concurrent statements lock
 * them in the same order; a policy a listing that began later saw (`last_seen_at`) is not marked missing by an older
 * one finishing after it. One row per policy upserted (a row of nulls for a listing that found nothing), each with its
 * `listing` (from 1), that listing's `missing` count and whether it `recorded` its selection part.
 * $1 tenant, $2 run and $3 backup set (or nulls), then per listing: $4 policy types (distinct), $5 when each listing
 * began, $6 selection parts (null: none); then per listed object: $7 its listing, $8 Graph ids, $9 display names (the
 * last of an id repeated in a listing is kept).
 */
export const RECORD_LISTINGS = new PreparedStatement<RecordedListingRow>(
  'capture_record_listings',
  `
  WITH listing AS (
    SELECT * FROM unnest($4::text[], $5::timestamptz[], $6::text[]) WITH ORDINALITY AS listing (policy_type, seen_at, part, number)
  ), listed AS (
    SELECT listed.*, listing.policy_type, listing.seen_at
    FROM unnest($7::int[], $8::text[], $9::text[]) WITH ORDINALITY AS listed (listing, graph_id, display_name, ordinal)
    JOIN listing ON listing.number = listed.listing
  ), upserted AS (
    INSERT INTO capture.policies (tenant_id, policy_type, graph_id, display_name, first_seen_at, last_seen_at)
    SELECT $1, policy_type, graph_id, display_name, seen_at, seen_at
    FROM (SELECT DISTINCT ON (policy_type, graph_id) policy_type, graph_id, display_name, seen_at FROM listed ORDER BY policy_type, graph_id, ordinal DESC) AS distinct_listed
    ORDER BY policy_type, graph_id
    ON CONFLICT (tenant_id, policy_type, graph_id) DO UPDATE SET
      display_name = EXCLUDED.display_name,
      last_seen_at = GREATEST(capture.policies.last_seen_at, EXCLUDED.last_seen_at),
      missing_since = NULL
    RETURNING ${POLICY_COLUMNS}, (xmax = 0) AS inserted
  ), missing AS (
    UPDATE capture.policies p SET missing_since = listing.seen_at
    FROM listing
    WHERE p.tenant_id = $1 AND p.policy_type = listing.policy_type AND p.missing_since IS NULL AND p.last_seen_at < listing.seen_at
      AND NOT EXISTS (SELECT 1 FROM listed WHERE listed.listing = listing.number AND listed.graph_id = p.graph_id)
    RETURNING listing.number
  ), selection AS (
    INSERT INTO capture.backup_set_selections (run_id, part, tenant_id, backup_set_id, policy_ids, problem)
    SELECT $2, listing.part, $1, $3,
      COALESCE((SELECT array_agg(upserted.id ORDER BY listed.ordinal) FROM listed JOIN upserted ON upserted."policyType" = listed.policy_type AND upserted."graphId" = listed.graph_id
                WHERE listed.listing = listing.number), '{}'), NULL
    FROM listing WHERE $2::uuid IS NOT NULL AND listing.part IS NOT NULL
    ORDER BY listing.part
    ON CONFLICT DO NOTHING
    RETURNING part
  )
  SELECT listing.number::int AS listing, upserted.*, (SELECT count(*) FROM missing WHERE missing.number = listing.number)::int AS missing,
    EXISTS (SELECT 1 FROM selection WHERE selection.part = listing.part) AS recorded
  FROM listing LEFT JOIN upserted ON upserted."policyType" = listing.policy_type`,
);

/**
 * Listings of several types that found nothing, in one statement (a backup run records its empty listings together
 * once its listings are done): the policies of those types marked missing, and each listing recorded as its part of
 * the run's selection with no policies, unless a delivery of the run recorded that part first. A policy a listing
 * that began later saw (`last_seen_at`) is not marked missing, here as in RECORD_LISTINGS; the rows are locked in id
 * order. One row per part this statement recorded. $1 tenant, $2 run, $3 backup set, then per listing: $4 policy
 * types, $5 selection parts, $6 when each listing began.
 */
export const RECORD_EMPTY_LISTINGS = new PreparedStatement<{ part: string }>(
  'capture_record_empty_listings',
  `
  WITH listed AS (
    SELECT * FROM unnest($4::text[], $5::text[], $6::timestamptz[]) AS listed (policy_type, part, seen_at)
  ), gone AS (
    SELECT p.id, listed.seen_at FROM capture.policies p JOIN listed ON p.policy_type = listed.policy_type
    WHERE p.tenant_id = $1 AND p.missing_since IS NULL AND p.last_seen_at < listed.seen_at
    ORDER BY p.id FOR UPDATE OF p
  ), missing AS (
    UPDATE capture.policies p SET missing_since = gone.seen_at FROM gone WHERE p.id = gone.id
  )
  INSERT INTO capture.backup_set_selections (run_id, part, tenant_id, backup_set_id, policy_ids, problem)
  SELECT $2, listed.part, $1, $3, '{}', NULL FROM listed ORDER BY listed.part
  ON CONFLICT DO NOTHING
  RETURNING part`,
);

/** A row of RECORD_LISTINGS: an upserted policy, or nulls but its listing's when the listing was empty. */
export type RecordedListingRow = { [K in keyof PolicyEntity]: PolicyEntity[K] | null } & { listing: number; inserted: boolean | null; missing: number; recorded: boolean };

/**
 * Stores snapshots of distinct policies, each as its policy's latest version, in one round trip: lock the
 * policies (in id order, so that concurrent statements never deadlock), insert each version unless its content
 * is stored, pick the new or the existing version, make it the latest. One row per input, in input order
 * (`ordinal` from 1); `previous` is the latest version before this capture, `found` false when the policy is not
 * in this tenant. $1 tenant, $2 run, then per snapshot: $3 new version ids, $4 policies, $5 content hashes,
 * $6 snapshot JSONs, $7 sizes in bytes, $8 display names, $9 list entry hashes (incremental capture: the list entry
 * a complete read started from, recorded with the version it gave and the read's time; null leaves them as they were).
 */
export const RECORD_VERSIONS = new PreparedStatement<RecordVersionRow>(
  'capture_record_versions',
  `
  WITH input AS (
    SELECT * FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[])
      WITH ORDINALITY AS input (new_id, policy_id, content_hash, snapshot, size_bytes, display_name, list_entry_hash, ordinal)
  ), policy AS (
    SELECT id, latest_version_id FROM capture.policies
    WHERE tenant_id = $1 AND id IN (SELECT policy_id FROM input) ORDER BY id FOR UPDATE
  ), inserted AS (
    INSERT INTO capture.policy_versions (id, tenant_id, policy_id, content_hash, snapshot, size_bytes, captured_at, captured_by_run_id)
    SELECT input.new_id, $1, policy.id, input.content_hash, input.snapshot::jsonb, input.size_bytes, clock_timestamp(), $2
    FROM input JOIN policy ON policy.id = input.policy_id
    ON CONFLICT (policy_id, content_hash) DO NOTHING
    RETURNING id, policy_id, captured_by_run_id
  ), chosen AS (
    SELECT policy_id, id, captured_by_run_id, true AS inserted FROM inserted
    UNION ALL
    SELECT v.policy_id, v.id, v.captured_by_run_id, false
    FROM input JOIN policy ON policy.id = input.policy_id
    JOIN capture.policy_versions v ON v.policy_id = input.policy_id AND v.content_hash = input.content_hash
    WHERE v.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted WHERE inserted.policy_id = input.policy_id)
  ), updated AS (
    UPDATE capture.policies p SET latest_version_id = chosen.id, display_name = input.display_name,
      last_seen_at = GREATEST(p.last_seen_at, clock_timestamp()), missing_since = NULL,
      list_entry_hash = COALESCE(input.list_entry_hash, p.list_entry_hash),
      list_entry_version_id = CASE WHEN input.list_entry_hash IS NULL THEN p.list_entry_version_id ELSE chosen.id END,
      full_read_at = CASE WHEN input.list_entry_hash IS NULL THEN p.full_read_at ELSE clock_timestamp() END,
      reused_since_full_read = CASE WHEN input.list_entry_hash IS NULL THEN p.reused_since_full_read ELSE 0 END
    FROM chosen JOIN input ON input.policy_id = chosen.policy_id
    WHERE p.id = chosen.policy_id AND p.tenant_id = $1
    RETURNING p.id
  )
  SELECT input.ordinal::int AS ordinal, chosen.id, chosen.captured_by_run_id AS "capturedByRunId", COALESCE(chosen.inserted, false) AS inserted,
         policy.latest_version_id AS previous, policy.id IS NOT NULL AS found
  FROM input LEFT JOIN policy ON policy.id = input.policy_id LEFT JOIN chosen ON chosen.policy_id = input.policy_id
  ORDER BY input.ordinal`,
);

/**
 * A row per snapshot: `found` false when the policy is not in this tenant; a null id when a concurrent capture
 * committed the same content meanwhile (the statement waited for its lock: the next statement sees it).
 */
export interface RecordVersionRow {
  ordinal: number;
  id: string | null;
  capturedByRunId: string | null;
  inserted: boolean;
  previous: string | null;
  found: boolean;
}

/**
 * Adds versions of distinct policies to a set once each, only when the set is this tenant's: a policy already
 * in the set comes back with no row. $1 tenant, $2 set, $3 run, then per item: $4 new item ids, $5 policies,
 * $6 versions, $7 is foundation, $8 reference names JSON.
 */
export const ADD_BACKUP_ITEMS = new PreparedStatement<AddedBackupItemRow>(
  'capture_add_backup_items',
  `
  INSERT INTO capture.backup_items (id, tenant_id, backup_set_id, policy_id, policy_version_id, is_foundation, added_by_run_id, added_at, reference_names)
  SELECT input.id, $1, s.id, input.policy_id, input.version_id, input.is_foundation, $3, clock_timestamp(), input.reference_names::jsonb
  FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::boolean[], $8::text[]) WITH ORDINALITY AS input (id, policy_id, version_id, is_foundation, reference_names, ordinal)
  JOIN capture.backup_sets s ON s.id = $2 AND s.tenant_id = $1
  ORDER BY input.ordinal
  ON CONFLICT (backup_set_id, policy_id) DO NOTHING
  RETURNING id, policy_id AS "policyId"`,
);

export interface AddedBackupItemRow {
  id: string;
  policyId: string;
}

/**
 * The backup set a run creates, inserted by the run's first delivery: no row when the run has its set already (a
 * redelivery, a concurrent delivery, or another tenant's run id): `backupSetOfRun` reads it then. The caller gives the
 * entity's columns (`EntityRows`). $1 new id, $2 tenant, $3 name, $4 include foundations, $5 run, $6 schedule or null.
 */
export function createBackupSetForRun(columns: string): PreparedStatement<Record<string, unknown>> {
  return new PreparedStatement(
    'capture_create_backup_set_for_run',
    `
    INSERT INTO capture.backup_sets (id, tenant_id, name, status, include_foundations, created_by_run_id, schedule_id, created_at)
    VALUES ($1, $2, $3, 'capturing', $4, $5, $6, clock_timestamp())
    ON CONFLICT DO NOTHING
    RETURNING ${columns}`,
  );
}

/** The backup set a run created, in its tenant. $1 tenant, $2 run. The caller gives the entity's columns. */
export function backupSetOfRun(columns: string): PreparedStatement<Record<string, unknown>> {
  return new PreparedStatement('capture_backup_set_of_run', `SELECT ${columns} FROM capture.backup_sets WHERE tenant_id = $1 AND created_by_run_id = $2`);
}

/** Ends a set's capture with a status; the first end's time is kept. $1 tenant, $2 set, $3 status. */
export const FINISH_BACKUP_SET = new PreparedStatement<never>(
  'capture_finish_backup_set',
  `UPDATE capture.backup_sets SET status = $3, completed_at = COALESCE(completed_at, clock_timestamp()) WHERE tenant_id = $1 AND id = $2`,
);

/** A set's items, each with the run that stored its version. $1 tenant, $2 set. */
export const BACKUP_ITEMS_OF_SET = new PreparedStatement<{ policyId: string; backupItemId: string; policyVersionId: string; addedByRunId: string; versionCapturedByRunId: string }>(
  'capture_backup_items_of_set',
  `
  SELECT item.policy_id AS "policyId", item.id AS "backupItemId", item.policy_version_id AS "policyVersionId",
         item.added_by_run_id AS "addedByRunId", version.captured_by_run_id AS "versionCapturedByRunId"
  FROM capture.backup_items item JOIN capture.policy_versions version ON version.id = item.policy_version_id
  WHERE item.tenant_id = $1 AND item.backup_set_id = $2`,
);

/** The parts of a run's selection its deliveries recorded. $1 tenant, $2 run. */
export const SELECTION_PARTS_OF_RUN = new PreparedStatement<{ part: string; policyIds: string[]; problem: RecordedSelectionProblem | null }>(
  'capture_selection_parts_of_run',
  `SELECT part, policy_ids AS "policyIds", problem FROM capture.backup_set_selections WHERE tenant_id = $1 AND run_id = $2`,
);

/** Of the given setting definition ids, those this tenant has stored. $1 tenant, $2 definition ids. */
export const STORED_SETTING_DEFINITIONS = new PreparedStatement<{ id: string }>(
  'capture_stored_setting_definitions',
  `SELECT definition_id AS id FROM capture.setting_definitions WHERE tenant_id = $1 AND definition_id = ANY($2::text[])`,
);

/**
 * Stores setting definitions once per (tenant, id): one already stored (a concurrent capture's) is kept as it is.
 * $1 tenant, then per definition: $2 ids, $3 the definitions' JSON.
 */
export const RECORD_SETTING_DEFINITIONS = new PreparedStatement<never>(
  'capture_record_setting_definitions',
  `
  INSERT INTO capture.setting_definitions (tenant_id, definition_id, definition)
  SELECT $1, input.definition_id, input.definition::jsonb FROM unnest($2::text[], $3::text[]) AS input (definition_id, definition)
  ON CONFLICT (tenant_id, definition_id) DO NOTHING`,
);

/**
 * Retention: deletes those of the given versions that nothing references any more (no backup item,
 * no policy's latest version). $1 tenant, $2 version ids.
 */
export const DELETE_UNREFERENCED_VERSIONS = `
  DELETE FROM capture.policy_versions v
  WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
    AND NOT EXISTS (SELECT 1 FROM capture.backup_items i WHERE i.policy_version_id = v.id)
    AND NOT EXISTS (SELECT 1 FROM capture.policies p WHERE p.id = v.policy_id AND p.latest_version_id = v.id)
  RETURNING v.id`;

export interface DeletedVersionRow {
  id: string;
}
