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
   * `inline`: sent back inside the create body (settings-catalog settings, compliance scheduled actions).
   * `separate`: written through the type's own requests (definition values, intent settings, app
   * protection apps, assignments); never in an object body.
   */
  write: 'inline' | 'separate';
}

export interface AssignmentContract {
  /** Path after `{collection}/{id}`: `/assign` takes all assignments at once, `/assignments` one per call. */
  segment: '/assign' | '/assignments';
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
  /** Property that names the object (`displayName`, or `name` for settings catalog). */
  nameProperty: 'displayName' | 'name';
  createMethod: 'POST';
  updateMethod: WriteMethod;
  assignment: AssignmentContract | null;
  /** Foundations (filters, scope tags) are captured only when asked. */
  foundation: boolean;
  /** The application permissions the MSP's app needs in a tenant for this type (the access check compares them). */
  permissions: GraphPermissionNeeds;
  /**
   * Incremental capture (capture-worker, ARCHITECTURE.md "Incremental capture") reuses the stored version of
   * an object whose list entry (with its `lastModifiedDateTime`) is unchanged. Absent (the default): allowed.
   * `false` for a type whose list entry cannot show every change (no `lastModifiedDateTime`, or relations
   * that change without moving it and are not in the entry): every capture reads such objects completely.
   */
  reuseUnchangedListing?: false;
}

export type PolicyTypeLookup =
  | { supported: true; contract: PolicyTypeContract }
  | { supported: false; type: string; reason: string };
