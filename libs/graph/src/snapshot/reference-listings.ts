import type { ReferenceKind } from '@policyvault/contracts';
import type { GraphClient } from '../client/graph-client.js';
import { listPolicies } from './policy-reader.js';

type GraphObject = Record<string, unknown>;

/** The reference kinds a tenant lists whole (groups are read or searched one by one instead). */
export type ListedReferenceKind = Exclude<ReferenceKind, 'group'>;

/** Every scope tag, assignment filter or notification message template of the tenant (id and display name at least). */
export async function listReferenceObjects(client: GraphClient, kind: ListedReferenceKind): Promise<GraphObject[]> {
  if (kind === 'notificationTemplate') return client.listAll<GraphObject>('/beta/deviceManagement/notificationMessageTemplates?$select=id,displayName');
  const result = await listPolicies(client, kind === 'scopeTag' ? 'scopeTag' : 'assignmentFilter');
  return result.supported ? result.items : [];
}

/**
 * One listing per kind for the life of the object (one run): the first caller lists, later callers share
 * the same promise; a failed listing is forgotten so that the next caller tries again.
 */
export class ReferenceListings<T> {
  private readonly listings = new Map<ListedReferenceKind, Promise<T>>();

  constructor(private readonly load: (kind: ListedReferenceKind) => Promise<T>) {}

  get(kind: ListedReferenceKind): Promise<T> {
    let listing = this.listings.get(kind);
    if (!listing) {
      listing = this.load(kind);
      listing.catch(() => this.listings.delete(kind));
      this.listings.set(kind, listing);
    }
    return listing;
  }
}
