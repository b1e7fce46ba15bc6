import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, POLICY_TYPE_CONTRACTS, type GraphRequest } from '@policyvault/graph';
import { ItemWriteFailure, RestoreItemWriter } from './restore-item.writer.js';
import type { RestorePlan } from '../planning/restore-plan.js';
import { SecretValues } from '../planning/secret-values.js';
import { SecretCipher } from '@policyvault/platform';

const SECRETS = new SecretValues(SecretCipher.development());

const plan = (requests: RestorePlan['requests']): RestorePlan => ({
  candidate: { backupItemId: 'b', policyType: 'administrativeTemplate', graphId: 'old', displayName: 'ADMX', snapshot: {} },
  contract: POLICY_TYPE_CONTRACTS.administrativeTemplate,
  action: 'create',
  matchedBy: null,
  liveId: null,
  requests,
  assignments: null,
  differences: [],
  reason: null,
  error: null,
});

const sequence: RestorePlan['requests'] = [
  { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations', body: { displayName: 'ADMX' }, purpose: 'create' },
  { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations/{createdId}/updateDefinitionValues', body: { added: [], updated: [], deletedIds: [] }, purpose: 'definition_values' },
];

describe('RestoreItemWriter', () => {
  it('sends the sequence in order with the created id in later paths, and records what reached Graph', async () => {
    const sent: GraphRequest[] = [];
    const client = { request: async (request: GraphRequest) => (sent.push(request), { status: request.path.endsWith('Values') ? 204 : 201, body: request.path.endsWith('Values') ? undefined : { id: 'new 1' } }) };
    const facts = await new RestoreItemWriter(SECRETS).write(client as never, plan(sequence));
    expect(sent.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/beta/deviceManagement/groupPolicyConfigurations'],
      ['POST', '/beta/deviceManagement/groupPolicyConfigurations/new%201/updateDefinitionValues'],
    ]);
    expect(facts).toEqual({
      objectWritten: true,
      newId: 'new 1',
      writes: 2,
      sent: [
        { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations', purpose: 'create', status: 201 },
        { method: 'POST', path: '/beta/deviceManagement/groupPolicyConfigurations/new%201/updateDefinitionValues', purpose: 'definition_values', status: 204 },
      ],
    });
  });

  it('a failing later request reports the create that already reached Graph', async () => {
    let calls = 0;
    const client = {
      request: async () => {
        calls += 1;
        if (calls === 2) throw new GraphError({ code: SafeErrorCode.GraphBadRequest, httpStatus: 400 });
        return { status: 201, body: { id: 'n1' } };
      },
    };
    const failure = await new RestoreItemWriter(SECRETS).write(client as never, plan(sequence)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ItemWriteFailure);
    expect((failure as ItemWriteFailure).written).toMatchObject({ newId: 'n1', writes: 1, objectWritten: true });
  });
});
