import { randomUUID } from 'node:crypto';
import { graphCatalogue } from '../catalogue/graph-catalogue.js';
import type { GraphObject, StoredObject } from './tenant-store.js';

const now = () => new Date().toISOString();

/** A compliance policy must carry a `block` action (Intune refuses policies without one). */
export function complianceActionsRefusal(rules: unknown): string | undefined {
  const actions = Array.isArray(rules) ? rules.flatMap((rule: GraphObject) => (Array.isArray(rule.scheduledActionConfigurations) ? rule.scheduledActionConfigurations : [])) : [];
  if (!actions.some((action: GraphObject) => action.actionType === 'block')) return "A compliance policy requires a scheduled action with actionType 'block'.";
  return undefined;
}

/** Relation items written inline get server ids (settings catalog settings are numbered), nested ones too. */
export function withItemIds(key: string, items: GraphObject[]): GraphObject[] {
  return items.map((item, index) => {
    const copy: GraphObject = { ...item, id: key === 'settingsCatalogPolicy' ? String(index) : randomUUID() };
    if (Array.isArray(copy.scheduledActionConfigurations)) copy.scheduledActionConfigurations = copy.scheduledActionConfigurations.map((action: GraphObject) => ({ ...action, id: randomUUID() }));
    return copy;
  });
}

/** Sets the server stamps the concrete type declares. */
export function stampCreated(typeName: string, data: GraphObject): void {
  const properties = graphCatalogue().entityType(typeName)?.properties ?? {};
  const stamp = now();
  if ('createdDateTime' in properties) data.createdDateTime = stamp;
  if ('lastModifiedDateTime' in properties) data.lastModifiedDateTime = stamp;
  // deviceHealthScript.version is a string in Graph; every other Intune version is a number.
  if ('version' in properties) data.version = typeName === 'deviceHealthScript' ? '1' : 1;
}

/** Marks an object changed: `lastModifiedDateTime` and a numeric `version` move when the type has them. */
export function touch(stored: StoredObject): void {
  if ('lastModifiedDateTime' in stored.data || 'createdDateTime' in stored.data) stored.data.lastModifiedDateTime = now();
  if (typeof stored.data.version === 'number') stored.data.version += 1;
}
