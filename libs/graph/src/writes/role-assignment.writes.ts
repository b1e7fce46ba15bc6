import { isPlainObject } from '../contracts/strip-for-write.js';
import { createRequest, updateRequest } from './default.writes.js';
import { UnwritableSnapshotError, type WriteInput, type WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

/** `{base}/beta/deviceManagement/roleDefinitions('{id}')`: the role an assignment grants, bound by URL. */
function roleDefinitionBind(input: WriteInput): GraphObject {
  const role = input.snapshot.roleDefinition;
  const id = isPlainObject(role) && typeof role.id === 'string' ? role.id : undefined;
  // Snapshots read without the expanded role cannot say which role they grant.
  if (!id) throw new UnwritableSnapshotError('role_definition_unknown');
  return { 'roleDefinition@odata.bind': `${input.graphBaseUrl.replace(/\/+$/, '')}/${input.contract.apiVersion}/deviceManagement/roleDefinitions('${encodeURIComponent(id)}')` };
}

/**
 * Intune role assignments: created with the role they grant bound (`roleDefinition@odata.bind`, read
 * with `$expand=roleDefinition`); members and scope members are group ids, scope tags `roleScopeTagIds`
 * (mapped like any object's). An update PATCHes the assignment, with the bind when the role changed.
 */
export const roleAssignmentWrites: WriteStrategy = {
  create: (input) => {
    const create = createRequest(input);
    return [{ ...create, body: { ...create.body, ...roleDefinitionBind(input) } }];
  },
  update: (input) => {
    if (input.changed.size === 0) return [];
    const update = updateRequest(input);
    return [{ ...update, body: { ...update.body, ...(input.changed.has('roleDefinition') ? roleDefinitionBind(input) : {}) } }];
  },
};
