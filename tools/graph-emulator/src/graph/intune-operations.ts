import { randomUUID } from 'node:crypto';
import { graphCatalogue, type CatalogueOperation } from '../catalogue/graph-catalogue.js';
import { collectionByKey, type NavigationRule } from '../catalogue/collections.js';
import { templateById } from '../seed/microsoft-catalogue.js';
import { validateActionParameters } from './body-validation.js';
import { badRequest, notFound, type GraphAnswer } from './graph-errors.js';
import type { ObjectCall } from './graph-handler.js';
import { complianceActionsRefusal, stampCreated, touch, withItemIds } from './object-changes.js';
import { plainTextOf } from './oma-secrets.js';
import { updateDefinitionValues } from './definition-values.js';
import type { GraphObject, StoredObject } from './tenant-store.js';

type Operation = (call: ObjectCall, body: GraphObject) => GraphAnswer;

/**
 * Bound actions and functions by name; parameters are checked against the catalogue before they run. Item ids are
 * accepted in action parameters (Graph's own examples send them; the service assigns its own).
 */
const OPERATIONS: Record<string, Operation> = {
  assign,
  scheduleActionsForRules: (call, body) => {
    const rules = (body.deviceComplianceScheduledActionForRules ?? []) as GraphObject[];
    const refusal = complianceActionsRefusal(rules);
    if (refusal) return badRequest(refusal);
    call.stored.relations.scheduledActionsForRule = withItemIds(call.collection.key, rules);
    touch(call.stored);
    return { status: 204 };
  },
  setPriority: (call, body) => {
    if (!Number.isInteger(body.priority) || Number(body.priority) < 1) return badRequest('The priority must be a positive integer; 0 belongs to the default configuration.');
    call.stored.data.priority = body.priority;
    touch(call.stored);
    return { status: 204 };
  },
  targetApps: (call, body) => {
    const apps = (body.apps ?? []) as GraphObject[];
    call.stored.relations.apps = apps.map((app) => ({ ...app, id: appIdOf(app), version: String(1) }));
    if (body.appGroupType !== undefined) call.stored.data.appGroupType = body.appGroupType;
    if ('deployedAppCount' in call.stored.data) call.stored.data.deployedAppCount = apps.length;
    touch(call.stored);
    return { status: 204 };
  },
  createInstance,
  updateSettings: (call, body) => {
    const settings = (body.settings ?? []) as GraphObject[];
    const refusal = settingsOutsideTemplate(String(call.stored.data.templateId), settings);
    if (refusal) return badRequest(refusal);
    const current = call.stored.relations.settings;
    for (const setting of settings) {
      const index = current.findIndex((existing) => existing.definitionId === setting.definitionId);
      const next = { ...setting, id: index >= 0 ? current[index].id : randomUUID() };
      if (index >= 0) current[index] = next;
      else current.push(next);
    }
    touch(call.stored);
    return { status: 204 };
  },
  updateDefinitionValues,
  update: updatePolicySet,
  updateAllowedCombinations: (call, body) => {
    const combinations = (body.allowedCombinations ?? []) as string[];
    if (combinations.length === 0) return badRequest('allowedCombinations must name at least one combination.');
    const previous = call.stored.data.allowedCombinations;
    call.stored.data.allowedCombinations = combinations;
    touch(call.stored);
    return { status: 200, body: { previousCombinations: previous ?? [], currentCombinations: combinations, additionalInformation: null, conditionalAccessReferences: [] } };
  },
};

/** Navigation properties written inline inside action parameters (rules and their actions, values and their presentation values). */
const INLINE_PARAMETER_NAVIGATIONS: Record<string, Record<string, NavigationRule> | undefined> = {
  update: {},
  scheduleActionsForRules: collectionByKey('compliancePolicy')?.navigations.scheduledActionsForRule.nested,
  updateDefinitionValues: { presentationValues: { readable: false, expandable: false, inline: 'create' } },
};

export function runOperation(call: ObjectCall, name: string, bound: CatalogueOperation, functionArguments: string | undefined): GraphAnswer {
  if (bound.kind === 'function') return runFunction(call, name, functionArguments ?? '');
  const handler = OPERATIONS[name];
  if (!handler) return badRequest(`The operation '${name}' is not implemented by the emulator.`);
  const binds = name === 'updateDefinitionValues' ? ['definition@odata.bind', 'presentation@odata.bind'] : [];
  const rules = { navigations: INLINE_PARAMETER_NAVIGATIONS[name] };
  const body = validateActionParameters(graphCatalogue(), name, bound.parameters, call.body ?? {}, { binds, allowIds: true, ...rules });
  return handler(call, structuredClone(body));
}

function runFunction(call: ObjectCall, name: string, functionArguments: string): GraphAnswer {
  const argument = /^secretReferenceValueId='([^']*)'$/.exec(functionArguments.trim());
  if (name !== 'getOmaSettingPlainTextValue' || !argument) return badRequest(`The function '${name}(${functionArguments})' is not supported.`);
  const value = plainTextOf(call.tenant, call.stored, argument[1]);
  if (value === undefined) return notFound(`No encrypted OMA setting with secretReferenceValueId '${argument[1]}' on this configuration.`);
  return { status: 200, body: { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#Edm.String`, value } };
}

/** Replaces the assignments; the first `*Assignments` parameter holds them (`deviceHealthScriptAssignments`…). */
function assign(call: ObjectCall, body: GraphObject): GraphAnswer {
  const parameter = Object.keys(body).find((key) => /assignments$/i.test(key) && !/GroupAssignments$/.test(key));
  const items = (parameter ? body[parameter] : []) as GraphObject[];
  call.stored.relations.assignments = items.map((item) => ({ ...item, id: `${String(call.stored.data.id)}_${randomUUID()}` }));
  if ('isAssigned' in call.stored.data) call.stored.data.isAssigned = items.length > 0;
  return { status: 200, body: { value: call.stored.relations.assignments } };
}

function appIdOf(app: GraphObject): string {
  const identifier = (app.mobileAppIdentifier ?? {}) as GraphObject;
  const name = identifier.bundleId ?? identifier.packageId ?? identifier.windowsAppId ?? randomUUID();
  const platform = String(identifier['@odata.type'] ?? '').includes('ios') ? 'ios' : String(identifier['@odata.type'] ?? '').includes('android') ? 'android' : 'windows';
  return `${String(name)}.${platform}`;
}

function settingsOutsideTemplate(templateId: string, settings: GraphObject[]): string | undefined {
  const template = templateById(templateId);
  const known = new Set(template?.categories.flatMap((category) => category.definitionIds) ?? []);
  const unknown = settings.find((setting) => !known.has(String(setting.definitionId)));
  return unknown ? `The setting definition '${String(unknown.definitionId)}' does not belong to template '${templateId}'.` : undefined;
}

/** `POST deviceManagement/templates/{id}/createInstance`: an intent with the template's settings, the delta applied. */
function createInstance(call: ObjectCall, body: GraphObject): GraphAnswer {
  const templateId = String(call.stored.data.id);
  const template = templateById(templateId);
  if (!template) return notFound(`Template '${templateId}' was not found.`);
  if (typeof body.displayName !== 'string' || body.displayName.trim() === '') return badRequest("The parameter 'displayName' is required.");
  const delta = (body.settingsDelta ?? []) as GraphObject[];
  const refusal = settingsOutsideTemplate(templateId, delta);
  if (refusal) return badRequest(refusal);
  const settings = template.settings.map((setting) => {
    const changed = delta.find((candidate) => candidate.definitionId === setting.definitionId);
    return { ...structuredClone(changed ?? setting), id: randomUUID() };
  });
  const intent: StoredObject = {
    key: 'endpointSecurityIntent',
    data: {
      '@odata.type': '#microsoft.graph.deviceManagementIntent',
      id: randomUUID(),
      displayName: body.displayName,
      description: body.description ?? '',
      isAssigned: false,
      isMigratingToConfigurationPolicy: false,
      templateId,
      roleScopeTagIds: body.roleScopeTagIds ?? ['0'],
    },
    relations: { settings, assignments: [] },
  };
  stampCreated('deviceManagementIntent', intent.data);
  call.tenant.put(intent);
  const { settings: _settings, assignments: _assignments, ...object } = { ...intent.data };
  return { status: 200, body: { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#deviceManagement/intents/$entity`, ...object } };
}

/**
 * `POST policySets/{id}/update` (beta): items added (new ids), updated by id and deleted by id; `assignments`, when
 * sent, replace the set's assignments. An update naming an item the set does not hold is refused.
 */
function updatePolicySet(call: ObjectCall, body: GraphObject): GraphAnswer {
  const items = call.stored.relations.items;
  const deleted = (body.deletedPolicySetItems ?? []) as string[];
  const updated = (body.updatedPolicySetItems ?? []) as GraphObject[];
  const unknown = [...deleted, ...updated.map((item) => String(item.id))].find((id) => !items.some((item) => item.id === id));
  if (unknown !== undefined) return notFound(`The policy set item '${unknown}' was not found.`);
  let next = items.filter((item) => !deleted.includes(String(item.id)));
  next = next.map((item) => {
    const change = updated.find((candidate) => candidate.id === item.id);
    return change ? { ...item, ...change, id: item.id } : item;
  });
  for (const added of (body.addedPolicySetItems ?? []) as GraphObject[]) {
    const item: GraphObject = { ...added, id: randomUUID() };
    stampCreated(shortType(added['@odata.type']), item);
    next.push(item);
  }
  call.stored.relations.items = next;
  if (Array.isArray(body.assignments)) {
    call.stored.relations.assignments = (body.assignments as GraphObject[]).map((item) => ({ ...item, id: `${String(call.stored.data.id)}_${randomUUID()}` }));
  }
  touch(call.stored);
  return { status: 204 };
}

const shortType = (odataType: unknown) => String(odataType ?? 'policySetItem').replace(/^#microsoft\.graph\./, '');
