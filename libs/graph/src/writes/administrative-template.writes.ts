import { isPlainObject } from '../contracts/strip-for-write.js';
import { canonicalJson } from './canonical-json.js';
import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import { UnwritableSnapshotError, type PlannedRequest, type UpdateInput, type WriteInput, type WriteStrategy } from './planned-request.js';

type GraphObject = Record<string, unknown>;

const VALUES = 'definitionValues';

const idOf = (relation: unknown): string | undefined => (isPlainObject(relation) && typeof relation.id === 'string' ? relation.id : undefined);
const list = (value: unknown): GraphObject[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);

/** The value a presentation value carries: `value` (text, decimal, boolean) or `values` (list, multi-text). */
function presentationData(presentationValue: GraphObject): GraphObject {
  const data: GraphObject = {};
  if (typeof presentationValue['@odata.type'] === 'string') data['@odata.type'] = presentationValue['@odata.type'];
  if (presentationValue.value !== undefined) data.value = presentationValue.value;
  if (presentationValue.values !== undefined) data.values = presentationValue.values;
  return data;
}

/** `{base}/beta/deviceManagement/groupPolicyDefinitions('{id}')`, from the configured Graph base URL. */
function definitionUrl(input: WriteInput, definitionId: string): string {
  return `${input.graphBaseUrl.replace(/\/+$/, '')}/${input.contract.apiVersion}/deviceManagement/groupPolicyDefinitions('${encodeURIComponent(definitionId)}')`;
}

function presentationId(presentationValue: GraphObject): string {
  const id = idOf(presentationValue.presentation);
  // Snapshots taken before presentations were expanded are completed first (restore-worker's snapshot upgrade).
  if (!id) throw new UnwritableSnapshotError('presentation_unknown');
  return id;
}

/** A definition value as `updateDefinitionValues` adds it: definition and presentations bound by URL. */
function addedValue(input: WriteInput, definitionValue: GraphObject, definitionId: string): GraphObject {
  return {
    enabled: definitionValue.enabled,
    'definition@odata.bind': definitionUrl(input, definitionId),
    presentationValues: list(definitionValue.presentationValues).map((presentationValue) => ({
      ...presentationData(presentationValue),
      'presentation@odata.bind': `${definitionUrl(input, definitionId)}/presentations('${encodeURIComponent(presentationId(presentationValue))}')`,
    })),
  };
}

/** Definition values keyed by their definition's id (one value per definition in a configuration). */
function byDefinition(object: GraphObject): Map<string, GraphObject> {
  const values = new Map<string, GraphObject>();
  for (const value of list(object[VALUES])) {
    const definitionId = idOf(value.definition);
    if (!definitionId) throw new UnwritableSnapshotError('definition_unknown');
    values.set(definitionId, value);
  }
  return values;
}

/** A live definition value changed to the snapshot's: live ids kept, new presentation values bound. */
function updatedValue(input: UpdateInput, wanted: GraphObject, live: GraphObject, definitionId: string): GraphObject | undefined {
  const livePresentations = new Map(list(live.presentationValues).map((value) => [idOf(value.presentation), value]));
  const presentationValues = list(wanted.presentationValues).map((value) => {
    const match = livePresentations.get(presentationId(value));
    if (match && typeof match.id === 'string') return { id: match.id, ...presentationData(value) };
    return { ...presentationData(value), 'presentation@odata.bind': `${definitionUrl(input, definitionId)}/presentations('${encodeURIComponent(presentationId(value))}')` };
  });
  const same =
    wanted.enabled === live.enabled &&
    canonicalJson(list(wanted.presentationValues).map(presentationData)) === canonicalJson(list(live.presentationValues).map(presentationData));
  return same ? undefined : { id: live.id, enabled: wanted.enabled, presentationValues };
}

function updateDefinitionValues(path: string, body: { added: GraphObject[]; updated: GraphObject[]; deletedIds: string[] }): PlannedRequest {
  return { method: 'POST', path: `${path}/updateDefinitionValues`, body, purpose: 'definition_values' };
}

/**
 * Administrative templates: the configuration is created or PATCHed on its own (name, description,
 * scope tags); its definition values only through `updateDefinitionValues` — `added` with
 * `definition@odata.bind` / `presentation@odata.bind` built from the configured Graph base URL,
 * `updated` by the live values' ids, `deletedIds` for live values the snapshot does not hold.
 */
export const administrativeTemplateWrites: WriteStrategy = {
  create: (input) => {
    const added = [...byDefinition(input.snapshot)].map(([definitionId, value]) => addedValue(input, value, definitionId));
    const requests = [createRequest(input)];
    if (added.length > 0) requests.push(updateDefinitionValues(targetPath(input), { added, updated: [], deletedIds: [] }));
    return requests;
  },
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, [VALUES])) requests.push(updateRequest(input));
    if (input.changed.has(VALUES)) {
      const wanted = byDefinition(input.snapshot);
      const live = byDefinition(input.live);
      const added: GraphObject[] = [];
      const updated: GraphObject[] = [];
      for (const [definitionId, value] of wanted) {
        const liveValue = live.get(definitionId);
        if (!liveValue) added.push(addedValue(input, value, definitionId));
        else {
          const change = updatedValue(input, value, liveValue, definitionId);
          if (change) updated.push(change);
        }
      }
      const deletedIds = [...live].filter(([definitionId]) => !wanted.has(definitionId)).flatMap(([, value]) => (typeof value.id === 'string' ? [value.id] : []));
      if (added.length + updated.length + deletedIds.length > 0) requests.push(updateDefinitionValues(targetPath(input), { added, updated, deletedIds }));
    }
    return requests;
  },
};
