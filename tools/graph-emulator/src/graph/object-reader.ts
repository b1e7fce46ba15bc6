import { graphCatalogue, shortTypeName } from '../catalogue/graph-catalogue.js';
import type { CollectionDefinition, NavigationRule } from '../catalogue/collections.js';
import { templateById } from '../seed/microsoft-catalogue.js';
import { ValidationError } from './body-validation.js';
import type { ExpandTree } from './query-options.js';
import type { GraphObject, StoredObject, TenantStore } from './tenant-store.js';

/** Items of a navigation property as Graph shows them (intent categories are derived from the intent's template). */
export function relationItems(stored: StoredObject, name: string): GraphObject[] {
  if (stored.key === 'endpointSecurityIntent' && name === 'categories') {
    const template = templateById(String(stored.data.templateId));
    const settings = stored.relations.settings ?? [];
    return (template?.categories ?? []).map((category) => ({
      ...category.object,
      settings: settings.filter((setting) => category.definitionIds.includes(String(setting.definitionId))),
    }));
  }
  return stored.relations[name] ?? [];
}

/**
 * A relation item with only the nested navigations that were expanded (`$expand=a($expand=b)`). Like `readObject`,
 * it copies only what it changes: an answer shares the rest with the store, and is serialized, never changed.
 */
export function shapeItem(item: GraphObject, nested: Record<string, NavigationRule> | undefined, expand: ExpandTree): GraphObject {
  const shaped = { ...item };
  for (const [name, rule] of Object.entries(nested ?? {})) {
    if (!(name in expand)) {
      delete shaped[name];
      continue;
    }
    if (!rule.expandable) throw new ValidationError(`Could not expand the property '${name}'.`);
    const value = shaped[name];
    if (Array.isArray(value)) shaped[name] = value.map((child: GraphObject) => shapeItem(child, rule.nested, expand[name]));
    else if (value && typeof value === 'object') shaped[name] = shapeItem(value as GraphObject, rule.nested, expand[name]);
  }
  return shaped;
}

/**
 * The object as `GET` returns it: expanded navigations, `$select`, and list omissions. A new top-level object whose
 * nested values are the store's own (a deep copy per object read was most of the emulator's CPU under load):
 * answers are serialized in the turn that computes them (server.ts `send`), never changed, so no write can reach one.
 */
export function readObject(collection: CollectionDefinition, stored: StoredObject, expand: ExpandTree, select: string[] | undefined, listShape: boolean, tenant?: TenantStore): GraphObject {
  const object = { ...stored.data };
  for (const [name, nestedExpand] of Object.entries(expand)) {
    const rule = collection.navigations[name];
    if (!rule?.expandable) throw new ValidationError(`Could not find a navigation property named '${name}' on type 'microsoft.graph.${collection.entityType}'.`);
    if (rule.reference) {
      // A single-valued reference: the object it names, as that object is now (null once it is gone).
      const id = relationItems(stored, name)[0]?.id;
      const referenced = tenant && typeof id === 'string' ? tenant.get(rule.reference, id) : undefined;
      object[name] = referenced ? { ...referenced.data } : null;
      continue;
    }
    object[name] = relationItems(stored, name).map((item) => shapeItem(item, rule.nested, nestedExpand));
  }
  if (listShape) for (const name of collection.listOmits ?? []) if (name in object) object[name] = null;
  if (!select) return object;
  const type = graphCatalogue().entityType(String(object['@odata.type'] ?? collection.entityType)) ?? graphCatalogue().entityType(collection.entityType);
  const selected: GraphObject = {};
  for (const name of select) {
    if (!type || !(name in type.properties || name in type.navigationProperties)) {
      throw new ValidationError(`Could not find a property named '${name}' on type 'microsoft.graph.${shortTypeName(collection.entityType)}'.`);
    }
    if (name in object) selected[name] = object[name];
  }
  if (object['@odata.type'] && collection.key !== 'group') selected['@odata.type'] = object['@odata.type'];
  for (const name of Object.keys(expand)) selected[name] = object[name];
  return selected;
}
