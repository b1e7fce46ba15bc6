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
