export type GraphApiVersion = 'beta' | 'v1.0';
export type WriteMethod = 'POST' | 'PATCH' | 'PUT';

/** A relation read alongside the object so that a snapshot is complete. */
export interface SubResourceContract {
  /** Property name under which the relation appears in the snapshot (Graph's own `$expand` name). */
  name: string;
  /** Path segment after `{collection}/{id}/`. */
  segment: string;
  /** `$expand` applied to the relation itself (e.g. `scheduledActionConfigurations`). */
  expand?: string;
  /**
   * How Graph lets us read it. `path` (default): `GET {object}/{segment}`. `expand`: only with the object,
   * `GET {collection}?$expand={name}(...)` and `GET {object}?$expand=...` (Graph answers the sub-path GET
   * of compliance scheduled actions with 400; app protection apps come with the platform collection).
   */
  read?: 'path' | 'expand';
  /**
   * A navigation of the relation's items holding Microsoft's definitions of them (settings catalog settings'
   * `settingDefinitions`): expanded in the same read when the caller asks, and handed back apart, never in the
   * snapshot (its content hash does not depend on whether they were asked for).
   */
  definitions?: 'settingDefinitions';
  /**
   * `inline`: sent back inside the create body (settings-catalog settings, compliance scheduled actions).
   * `separate`: written through the type's own requests (definition values, intent settings, app
   * protection apps, assignments); never in an object body.
   */
  write: 'inline' | 'separate';
}

export interface AssignmentContract {
  /**
   * Path after `{collection}/{id}`: `/assign` takes all assignments at once, `/assignments` one per call,
   * `/update` (policy sets) all at once inside the set's `update` action.
   */
  segment: '/assign' | '/assignments' | '/update';
  /** Property holding the assignment array in an `/assign` body (differs for scripts, enrollment…). */
  bodyProperty: string;
}

/**
 * Microsoft Graph application permissions (app roles, the access token's `roles`) a type needs, from the
 * permission tables of Graph's API reference for its collection and the names its references are read by.
 */
export interface GraphPermissionNeeds {
  /** To capture it: list and read the objects with their relations, and the names they reference. */
  read: readonly string[];
  /** To restore it: create, update and assign the objects, and map their references by name. */
  restore: readonly string[];
}

export interface PolicyTypeContract {
  type: string;
  displayName: string;
  apiVersion: GraphApiVersion;
  /** Collection path without the version, e.g. `/deviceManagement/deviceConfigurations`. */
  collectionPath: string;
  /** Concrete collections by `@odata.type`, when the listed collection is polymorphic. */
  createPathByODataType?: Readonly<Record<string, string>>;
  /**
   * The objects live in the collections of `createPathByODataType` (app protection): they are listed,
   * read, updated and assigned there, never through `collectionPath`.
   */
  typedCollections?: boolean;
  /** The list omits some properties (script content): each object must be read by id. */
  readEachById: boolean;
  subResources: readonly SubResourceContract[];
  /** Read-only or server-managed properties of this type, stripped before a write (besides the common ones). */
  stripProperties: readonly string[];
  /** Writable on create but not on update (PATCH): stripped from update bodies only. */
  stripOnUpdate?: readonly string[];
  /**
   * Stripped from bodies but restored through an action of the type (enrollment `priority` through
   * `setPriority`): still compared between the live object and the snapshot.
   */
  comparedReadOnly?: readonly string[];
  /** Property that names the object (`displayName`, `name` for settings catalog, `profileName` for branding). */
  nameProperty: 'displayName' | 'name' | 'profileName';
  createMethod: 'POST';
  updateMethod: WriteMethod;
  assignment: AssignmentContract | null;
  /** Foundations (filters, scope tags) are captured only when asked. */
  foundation: boolean;
  /** The application permissions the MSP's app needs in a tenant for this type (the access check compares them). */
  permissions: GraphPermissionNeeds;
  /**
   * Types whose objects this type references by id (named locations in Conditional Access policies, members
   * in policy sets): a restore writes those first and maps the references to the ids they got.
   */
  restoreAfter?: readonly string[];
  /**
   * Only the assignments are restored (applications: their binaries are never backed up): onto an existing
   * object matched by id, name or `matchProperties`; never created (no match: skipped with a reason).
   */
  restoresAssignmentsOnly?: boolean;
  /** Properties that identify an object like its name when no live object has its id or name (bundle id, package id). */
  matchProperties?: readonly string[];
  /**
   * False for backup-only types (Graph has no write for them): captured like any other, but a preview or
   * restore skips each of their items with `notRestorableReason`, never failing the run.
   */
  restorable: boolean;
  /** Why a backup-only type cannot be restored (set exactly when `restorable` is false). */
  notRestorableReason?: string;
  /**
   * Tenant-wide settings (singletons every tenant has): a restore writes them only when its scope says
   * `includeTenantSettings` and its confirmation repeats it (run-service's restore confirmation);
   * otherwise their items are skipped with `tenant_settings_not_confirmed`.
   */
  tenantSettings?: boolean;
  /**
   * The collection is shared with other types (enrollment configurations by kind): only the objects whose
   * `@odata.type` is (`include`) or is not (`exclude`) one of `odataTypes` belong to this type.
   */
  listFilter?: { mode: 'include' | 'exclude'; odataTypes: readonly string[] };
  /**
   * `collectionPath` is one object every tenant has (`/deviceManagement/settings`): listed as that one
   * object with the id `singletonId`, read and updated at that path, never created.
   */
  singletonId?: string;
  /**
   * The objects live under each object of a parent collection (Apple DEP enrollment profiles under each
   * `depOnboardingSettings` token): listed per parent; their ids are stored as `{parentId}/{id}`.
   */
  nestedUnder?: { parentPath: string; segment: string };
  /**
   * Incremental capture (capture-worker, ARCHITECTURE.md "Incremental capture") reuses the stored version of
   * an object whose list entry (with its `lastModifiedDateTime`) is unchanged. Absent (the default): allowed.
   * `false` for a type whose list entry cannot show every change (no `lastModifiedDateTime`, or relations
   * that change without moving it and are not in the entry): every capture reads such objects completely.
   */
  reuseUnchangedListing?: false;
  /**
   * A backup lists its types with `$expand=assignments` so that each entry shows its assignments (incremental
   * capture compares entries). `false` for a type whose listing must not expand them: Graph's mobileApp resource
   * documents "Listing mobile apps with `$expand=assignments` has been deprecated" and says to expand on each app.
   * Its entries then carry no assignments, so every capture reads its objects' assignments (no reuse).
   */
  listExpandsAssignments?: false;
}

export type PolicyTypeLookup =
  | { supported: true; contract: PolicyTypeContract }
  | { supported: false; type: string; reason: string };
