import { randomUUID } from 'node:crypto';
import { definitionById, type PolicyDefinition } from '../seed/microsoft-catalogue.js';
import { badRequest, type GraphAnswer } from './graph-errors.js';
import type { ObjectCall } from './graph-handler.js';
import { touch } from './object-changes.js';
import type { GraphObject } from './tenant-store.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `POST groupPolicyConfigurations/{id}/updateDefinitionValues` `{ added, updated, deletedIds }`: definition values
 * bind to the ADMX catalogue with `definition@odata.bind` / `presentation@odata.bind` URLs on this service's own
 * base URL; unknown definitions or presentations, foreign hosts and duplicates are refused and nothing changes.
 */
export function updateDefinitionValues(call: ObjectCall, body: GraphObject): GraphAnswer {
  const base = `${escape(call.baseUrl)}/(?:beta|v1\\.0)/deviceManagement/groupPolicyDefinitions\\('([^']+)'\\)`;
  const definitionBind = new RegExp(`^${base}$`);
  const presentationBind = new RegExp(`^${base}/presentations\\('([^']+)'\\)$`);
  const values = call.stored.relations.definitionValues.map((value) => structuredClone(value));
  const now = new Date().toISOString();

  for (const deletedId of (body.deletedIds ?? []) as string[]) {
    const index = values.findIndex((value) => value.id === deletedId);
    if (index < 0) return badRequest(`The definition value '${deletedId}' does not exist in this configuration.`);
    values.splice(index, 1);
  }
  for (const added of (body.added ?? []) as GraphObject[]) {
    const bind = added['definition@odata.bind'];
    const match = typeof bind === 'string' ? definitionBind.exec(bind) : null;
    if (!match) return badRequest(`'definition@odata.bind' must be ${call.baseUrl}/beta/deviceManagement/groupPolicyDefinitions('{id}') (got '${String(bind)}').`);
    const definition = definitionById(match[1]);
    if (!definition) return badRequest(`The group policy definition '${match[1]}' does not exist.`);
    if (values.some((value) => (value.definition as GraphObject | undefined)?.id === match[1])) return badRequest(`The definition '${match[1]}' is already configured in this policy.`);
    const presentationValues: GraphObject[] = [];
    for (const presentationValue of (added.presentationValues ?? []) as GraphObject[]) {
      const presentation = boundPresentation(presentationValue['presentation@odata.bind'], presentationBind, definition);
      if (typeof presentation === 'string') return badRequest(presentation);
      const { 'presentation@odata.bind': _bind, id: _id, ...rest } = presentationValue;
      presentationValues.push({ ...rest, id: randomUUID(), createdDateTime: now, lastModifiedDateTime: now, presentation: structuredClone(presentation) });
    }
    const { 'definition@odata.bind': _bind, id: _id, presentationValues: _values, ...rest } = added;
    values.push({ enabled: false, configurationType: 'policy', ...rest, id: randomUUID(), createdDateTime: now, lastModifiedDateTime: now, definition: structuredClone(definition.object), presentationValues });
  }
  for (const updated of (body.updated ?? []) as GraphObject[]) {
    const value = values.find((candidate) => candidate.id === updated.id);
    if (!value) return badRequest(`The definition value '${String(updated.id)}' does not exist in this configuration.`);
    if (updated['definition@odata.bind'] !== undefined) return badRequest("An updated definition value cannot change its 'definition@odata.bind'.");
    if (typeof updated.enabled === 'boolean') value.enabled = updated.enabled;
    const existing = (value.presentationValues ?? []) as GraphObject[];
    for (const presentationValue of (updated.presentationValues ?? []) as GraphObject[]) {
      const target = existing.find((candidate) => candidate.id === presentationValue.id);
      if (!target) return badRequest(`The presentation value '${String(presentationValue.id)}' does not exist in definition value '${String(updated.id)}'.`);
      const { id: _id, 'presentation@odata.bind': _bind, ...changes } = presentationValue;
      Object.assign(target, changes, { lastModifiedDateTime: now });
    }
    value.lastModifiedDateTime = now;
  }
  call.stored.relations.definitionValues = values;
  touch(call.stored);
  return { status: 204 };
}

function boundPresentation(bind: unknown, pattern: RegExp, definition: PolicyDefinition): GraphObject | string {
  const match = typeof bind === 'string' ? pattern.exec(bind) : null;
  if (!match) return `'presentation@odata.bind' must be {base}/beta/deviceManagement/groupPolicyDefinitions('{definitionId}')/presentations('{presentationId}') on this service (got '${String(bind)}').`;
  if (match[1] !== definition.object.id) return `The presentation bind names definition '${match[1]}', not the value's definition '${String(definition.object.id)}'.`;
  const presentation = definition.presentations.find((candidate) => candidate.id === match[2]);
  return presentation ?? `The presentation '${match[2]}' does not exist on definition '${String(definition.object.id)}'.`;
}
