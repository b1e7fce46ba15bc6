import { stripWithContract, withoutServerManaged } from '../contracts/strip-for-write.js';
import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import type { PlannedRequest, WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

const ACTIONS = 'scheduledActionsForRule';

/** What Intune's portal adds when a policy has none: Graph refuses a create without a block action. */
const DEFAULT_BLOCK_RULE = {
  ruleName: 'PasswordRequired',
  scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '', notificationMessageCCList: [] }],
};

function scheduledActions(snapshot: GraphObject): GraphObject[] {
  const actions = Array.isArray(snapshot[ACTIONS]) ? (withoutServerManaged(snapshot[ACTIONS]) as GraphObject[]) : [];
  const hasBlock = actions.some((rule) => Array.isArray(rule.scheduledActionConfigurations) && rule.scheduledActionConfigurations.some((action) => (action as GraphObject)?.actionType === 'block'));
  return hasBlock ? actions : [...actions, DEFAULT_BLOCK_RULE];
}

/**
 * Compliance policies: the create carries the scheduled actions inline (a block action included); an
 * update PATCHes the policy without them (Graph answers 400 otherwise) and replaces the actions with
 * `scheduleActionsForRules`.
 */
export const complianceWrites: WriteStrategy = {
  create: (input) => {
    const create = createRequest(input);
    return [{ ...create, body: { ...create.body, [ACTIONS]: scheduledActions(input.snapshot) } }];
  },
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, [ACTIONS])) {
      const { [ACTIONS]: _actions, ...body } = stripWithContract(input.contract, input.snapshot, 'update');
      requests.push(updateRequest(input, body));
    }
    if (input.changed.has(ACTIONS)) {
      requests.push({
        method: 'POST',
        path: `${targetPath(input)}/scheduleActionsForRules`,
        body: { deviceComplianceScheduledActionForRules: scheduledActions(input.snapshot) },
        purpose: 'scheduled_actions',
      });
    }
    return requests;
  },
};
