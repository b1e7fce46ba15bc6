import type { PolicyTypeContract } from '../contracts/policy-type-contract.js';

type GraphObject = Record<string, unknown>;

/** Stands for the id the sequence's `create` request answers with, in the paths of later requests. */
export const CREATED_ID = '{createdId}';

/** What a request of an item's sequence does (previews show it; the executor reads the new id after `create`). */
export type PlannedRequestPurpose =
  | 'create'
  | 'update'
  | 'scheduled_actions'
  | 'settings'
  | 'definition_values'
  | 'target_apps'
  | 'priority'
  | 'policy_set_items'
  | 'allowed_combinations'
  | 'localized_messages'
  | 'role_definition'
  | 'assign'
  | 'unassign';

/** One request a restore sends for an item, exactly as it goes to Graph (relative to the base URL). */
export interface PlannedRequest {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** `/beta/...` or `/v1.0/...`; may hold `{createdId}` after a `create`. */
  path: string;
  /** Null for DELETE. */
  body: GraphObject | null;
  purpose: PlannedRequestPurpose;
}

/** What a strategy builds the object's requests from. */
export interface WriteInput {
  contract: PolicyTypeContract;
  snapshot: GraphObject;
  /** The configured Graph base URL (`https://graph.microsoft.com`, the emulator's in tests): binds are built from it. */
  graphBaseUrl: string;
}

export interface UpdateInput extends WriteInput {
  liveId: string;
  live: GraphObject;
  /** Top-level properties and relations (assignments excluded) that differ between live and snapshot. */
  changed: ReadonlySet<string>;
}

/** The create and update request sequences of one policy type (assignments are planned on their own). */
export interface WriteStrategy {
  create(input: WriteInput): PlannedRequest[];
  update(input: UpdateInput): PlannedRequest[];
}

/** A snapshot the type's requests cannot be built from (e.g. an intent without its template): the item is skipped with `reason`. */
export class UnwritableSnapshotError extends Error {
  constructor(readonly reason: string) {
    super(`the snapshot cannot be written: ${reason}`);
    this.name = 'UnwritableSnapshotError';
  }
}

export const versionPath = (contract: PolicyTypeContract, path: string) => `/${contract.apiVersion}${path}`;
