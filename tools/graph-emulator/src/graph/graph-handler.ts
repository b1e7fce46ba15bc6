import { randomUUID } from 'node:crypto';
import { graphCatalogue } from '../catalogue/graph-catalogue.js';
import { COLLECTIONS, collectionByKey, type CollectionDefinition, type CollectionView } from '../catalogue/collections.js';
import { validateComplexValue, validateEntity, ValidationError } from './body-validation.js';
import { badRequest, methodNotAllowed, modelValidationFailure, notFound, type GraphAnswer } from './graph-errors.js';
import { runOperation } from './intune-operations.js';
import { readObject, relationItems, shapeItem } from './object-reader.js';
import { complianceActionsRefusal, stampCreated, touch, withItemIds } from './object-changes.js';
import { sealOmaSettings } from './oma-secrets.js';
import { withSettingDefinitions } from './setting-definitions.js';
import { parseExpand, parseFilter, parseSelect } from './query-options.js';
import type { GraphObject, StoredObject, TenantStore } from './tenant-store.js';

export const MALFORMED_BODY = Symbol('malformed-body');

export interface GraphCall {
  tenant: TenantStore;
  method: string;
  version: string;
  /** Path after the version, without the query string. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Scheme and host the caller used: `@odata.nextLink`, `@odata.context` and the only host binds may name. */
  baseUrl: string;
}

export interface ObjectCall extends GraphCall {
  collection: CollectionDefinition;
  view: CollectionView;
  stored: StoredObject;
}

const routes = COLLECTIONS.flatMap((collection) => collection.views.map((view) => ({ collection, view, segments: view.path.split('/') }))).sort(
  (left, right) => right.segments.length - left.segments.length,
);

/** `groupPolicyDefinitions('id')` → `groupPolicyDefinitions`, `id` (OData key syntax); functions keep their parentheses. */
function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent)
    .flatMap((segment) => {
      const keyed = /^([A-Za-z]+)\('([^'=]*)'\)$/.exec(segment);
      return keyed ? [keyed[1], keyed[2]] : [segment];
    });
}

/** Microsoft Graph's Intune and directory collections, shaped by the catalogue and the collection table. */
export class GraphHandler {
  constructor(private readonly pageSize: number) {}

  static isWrite(method: string): boolean {
    return method !== 'GET';
  }

  handle(call: GraphCall): GraphAnswer {
    if (call.body === MALFORMED_BODY) return badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    const segments = pathSegments(call.path);
    if (segments[0] === 'deviceManagement' && segments.length <= 2 && (segments.length === 1 || segments[1] === 'settings')) {
      try {
        return tenantSettings(call, segments.length === 1);
      } catch (error) {
        if (error instanceof ValidationError) return modelValidationFailure(error.message);
        throw error;
      }
    }
    const route = routes.find((candidate) => candidate.segments.every((segment, index) => segments[index] === segment));
    if (!route) return notFound(`Resource not found for the segment '${segments[segments.length - 1] ?? ''}'.`);
    const rest = segments.slice(route.segments.length);
    try {
      if (rest.length === 0) return this.onCollection(call, route.collection, route.view);
      const stored = call.tenant.get(route.collection.key, rest[0]);
      if (!stored || (route.view.odataType && stored.data['@odata.type'] !== route.view.odataType)) return notFound(`Resource '${rest[0]}' does not exist or one of its queried reference-property objects are not present.`);
      const objectCall: ObjectCall = { ...call, collection: route.collection, view: route.view, stored };
      if (rest.length === 1) return this.onObject(objectCall);
      return this.onMember(objectCall, rest.slice(1));
    } catch (error) {
      if (error instanceof ValidationError) return modelValidationFailure(error.message);
      throw error;
    }
  }

  private onCollection(call: GraphCall, collection: CollectionDefinition, view: CollectionView): GraphAnswer {
    if (call.method === 'GET') return this.list(call, collection, view);
    if (call.method !== 'POST') return methodNotAllowed(`The method ${call.method} is not allowed on a collection.`);
    if (collection.create === 'createInstance') return badRequest(`Create a ${collection.entityType} with POST deviceManagement/templates/{templateId}/createInstance.`);
    if (collection.create === 'none' || view.readOnly) return methodNotAllowed(`Objects cannot be created in '${view.path}'.`);
    return this.create(call, collection, view);
  }

  private onObject(call: ObjectCall): GraphAnswer {
    const { collection, stored } = call;
    if (call.method === 'GET') {
      const object = readObject(collection, stored, parseExpand(call.query.get('$expand')), parseSelect(call.query.get('$select')), false, call.tenant);
      return { status: 200, body: { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#${call.view.path}/$entity`, ...object } };
    }
    if (!collection.writable || call.view.readOnly) return methodNotAllowed(`The method ${call.method} is not allowed on '${call.view.path}'.`);
    if (collection.isBuiltIn?.(stored.data)) return badRequest(`'${String(stored.data.displayName ?? stored.data.id)}' is built in and cannot be changed or deleted.`);
    if (call.method === 'PATCH' || call.method === 'PUT') return this.update(call);
    if (call.method === 'DELETE') {
      if (collection.isUndeletable?.(stored.data)) return badRequest(`'${String(stored.data[collection.nameProperty] ?? stored.data.id)}' exists in every tenant and cannot be deleted.`);
      call.tenant.delete(collection.key, String(stored.data.id));
      return { status: 204 };
    }
    return methodNotAllowed(`The method ${call.method} is not allowed here.`);
  }

  private onMember(call: ObjectCall, rest: string[]): GraphAnswer {
    const [member, itemId, childMember] = rest;
    const operation = member.replace(/^microsoft\.graph\./, '');
    const functionCall = /^([A-Za-z]+)\((.*)\)$/.exec(operation);
    const typeName = String(call.stored.data['@odata.type'] ?? call.collection.entityType);
    const name = functionCall ? functionCall[1] : operation;
    const bound = graphCatalogue().operation(typeName, name);
    if (bound && rest.length === 1) {
      const expected = bound.kind === 'function' ? 'GET' : 'POST';
      if (call.method !== expected) return methodNotAllowed(`'${name}' is ${bound.kind === 'function' ? 'a function (GET)' : 'an action (POST)'}.`);
      if (bound.kind === 'action' && call.collection.isBuiltIn?.(call.stored.data)) return badRequest(`'${String(call.stored.data.displayName ?? call.stored.data.id)}' is built in and cannot be changed.`);
      return runOperation(call, name, bound, functionCall?.[2]);
    }
    const rule = call.collection.navigations[member];
    if (!rule) return notFound(`Resource not found for the segment '${member}'.`);
    if (rule.readable === 'badRequest') return badRequest(`The navigation property '${member}' cannot be read as a sub-path; use $expand=${member}.`);
    if (!rule.readable) return notFound(`Resource not found for the segment '${member}'.`);
    if (rest.length === 1) {
      if (call.method === 'GET') {
        const expand = parseExpand(call.query.get('$expand'));
        // Settings catalog settings: their definitions when expanded.
        const withDefinitions = rule.nested?.settingDefinitions !== undefined && 'settingDefinitions' in expand;
        const items = relationItems(call.stored, member).map((item) => (withDefinitions ? withSettingDefinitions(call.tenant, item) : item));
        return this.page(call, items.map((item) => shapeItem(item, rule.nested, expand)));
      }
      if (call.method === 'POST' && rule.itemWrites) return this.addItem(call, member);
      return methodNotAllowed(`The method ${call.method} is not allowed on '${member}'.`);
    }
    const item = relationItems(call.stored, member).find((candidate) => candidate.id === itemId);
    if (!item) return notFound(`The '${member}' item '${itemId}' was not found.`);
    if (rest.length === 2) {
      if (call.method === 'GET') return { status: 200, body: shapeItem(item, rule.nested, parseExpand(call.query.get('$expand'))) };
      if (call.method === 'DELETE' && rule.itemWrites) {
        call.stored.relations[member] = call.stored.relations[member].filter((candidate) => candidate !== item);
        return { status: 204 };
      }
      if (call.method === 'PATCH' && rule.itemWrites) return this.updateItem(call, member, item);
      return methodNotAllowed(`The method ${call.method} is not allowed here.`);
    }
    const nested = rule.nested?.[childMember];
    if (rest.length === 3 && call.method === 'GET' && nested?.readable === true && Array.isArray(item[childMember])) return this.page(call, item[childMember] as GraphObject[]);
    return notFound(`Resource not found for the segment '${rest[rest.length - 1]}'.`);
  }

  private list(call: GraphCall, collection: CollectionDefinition, view: CollectionView): GraphAnswer {
    const expand = parseExpand(call.query.get('$expand'));
    const select = parseSelect(call.query.get('$select'));
    const filter = parseFilter(call.query.get('$filter'));
    if (filter === 'unsupported') return badRequest(`Invalid filter clause: '${call.query.get('$filter')}' is not supported on '${view.path}'.`);
    const deprecated = Object.keys(expand).find((name) => collection.navigations[name]?.listExpandable === false);
    if (deprecated) return badRequest(`Listing '${view.path}' with $expand=${deprecated} is not supported: expand '${deprecated}' on each object instead.`);
    const items = call.tenant
      .list(collection.key)
      .filter((stored) => !view.odataType || stored.data['@odata.type'] === view.odataType)
      .filter((stored) => !filter || stored.data[filter.property] === filter.value)
      .map((stored) => readObject(collection, stored, expand, select, true, call.tenant));
    return this.page(call, items);
  }

  page(call: GraphCall, items: unknown[]): GraphAnswer {
    const top = Math.min(999, Math.max(1, Number(call.query.get('$top')) || this.pageSize));
    const offset = decodeSkipToken(call.query.get('$skiptoken'));
    const body: GraphObject = { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#${call.path.replace(/^\//, '')}`, value: items.slice(offset, offset + top) };
    if (offset + top < items.length) {
      const next = new URLSearchParams(call.query);
      next.set('$top', String(top));
      next.set('$skiptoken', Buffer.from(String(offset + top)).toString('base64url'));
      body['@odata.nextLink'] = `${call.baseUrl}/${call.version}${call.path}?${next.toString()}`;
    }
    return { status: 200, body };
  }

  private create(call: GraphCall, collection: CollectionDefinition, view: CollectionView): GraphAnswer {
    const catalogue = graphCatalogue();
    const concrete = validateEntity(catalogue, view.odataType ?? collection.entityType, call.body, { mode: 'create', readOnly: collection.readOnly, navigations: collection.navigations, binds: referenceBinds(collection) });
    const body = structuredClone(call.body) as GraphObject;
    const refusal = createRefusal(collection, body);
    if (refusal) return badRequest(refusal);
    const stored: StoredObject = { key: collection.key, data: {}, relations: {} };
    for (const name of Object.keys(collection.navigations)) stored.relations[name] = [];
    const bound = bindReferences(call, collection, body, stored);
    if (bound) return bound;
    for (const [key, value] of Object.entries(body)) {
      if (key in collection.navigations) stored.relations[key] = withItemIds(collection.key, value as GraphObject[]);
      else stored.data[key] = value;
    }
    stored.data['@odata.type'] ??= `#microsoft.graph.${concrete}`;
    stored.data.id = randomUUID();
    stampCreated(concrete, stored.data);
    if (collection.key === 'settingsCatalogPolicy') stored.data.settingCount = stored.relations.settings.length;
    if (collection.key === 'enrollmentConfiguration' && stored.data.priority === undefined) stored.data.priority = lastPriority(call.tenant, stored.data['@odata.type']) + 1;
    // A tenant creates custom strengths; Entra says what they satisfy.
    if (collection.key === 'authenticationStrengthPolicy') Object.assign(stored.data, { policyType: 'custom', requirementsSatisfied: 'mfa' });
    // A role made by an administrator is a custom one.
    if (collection.key === 'roleDefinition') stored.data.isBuiltIn = false;
    sealOmaSettings(call.tenant, stored.data);
    call.tenant.put(stored);
    return { status: 201, body: { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#${view.path}/$entity`, ...readObject(collection, stored, {}, undefined, false) } };
  }

  private update(call: ObjectCall): GraphAnswer {
    const { collection, stored } = call;
    const storedType = String(stored.data['@odata.type'] ?? collection.entityType);
    validateEntity(graphCatalogue(), storedType, call.body, {
      mode: 'update',
      storedType,
      readOnly: [...collection.readOnly, ...(collection.readOnlyOnUpdate ?? [])],
      navigations: collection.navigations,
      binds: referenceBinds(collection),
    });
    const body = structuredClone(call.body) as GraphObject;
    const bound = bindReferences(call, collection, body, stored);
    if (bound) return bound;
    const kept = Object.fromEntries(['@odata.type', 'id', 'createdDateTime', 'version', ...collection.readOnly, ...(collection.readOnlyOnUpdate ?? [])].filter((key) => key in stored.data).map((key) => [key, stored.data[key]]));
    if (call.method === 'PUT') stored.data = { ...kept };
    for (const [key, value] of Object.entries(body)) {
      if (key in collection.navigations) stored.relations[key] = withItemIds(collection.key, value as GraphObject[]);
      else stored.data[key] = value;
    }
    touch(stored);
    if (collection.key === 'settingsCatalogPolicy') stored.data.settingCount = stored.relations.settings.length;
    if (collection.key === 'enrollmentConfiguration' && stored.data.priority === undefined) stored.data.priority = lastPriority(call.tenant, stored.data['@odata.type']) + 1;
    sealOmaSettings(call.tenant, stored.data);
    return { status: 204 };
  }

  private addItem(call: ObjectCall, member: string): GraphAnswer {
    const catalogue = graphCatalogue();
    const typeName = String(call.stored.data['@odata.type'] ?? call.collection.entityType);
    const target = /Collection\(microsoft\.graph\.(\w+)\)/.exec(catalogue.entityType(typeName)?.navigationProperties[member] ?? '')?.[1];
    if (!target) return badRequest(`'${member}' cannot be written.`);
    const concrete = validateEntity(catalogue, target, call.body, { mode: 'create' });
    const item = structuredClone(call.body) as GraphObject;
    const groupId = (item.target as GraphObject | undefined)?.groupId;
    item.id = call.collection.key === 'autopilotProfile' && typeof groupId === 'string' ? `${String(call.stored.data.id)}_${groupId}` : randomUUID();
    if (call.stored.relations[member].some((existing) => existing.id === item.id)) return badRequest(`An item with id '${String(item.id)}' already exists in '${member}'.`);
    stampCreated(concrete, item);
    call.stored.relations[member].push(item);
    touch(call.stored);
    return { status: 201, body: item };
  }

  /** `PATCH /{id}/{member}/{itemId}`: one item of an item-written relation changed (its own type checked). */
  private updateItem(call: ObjectCall, member: string, item: GraphObject): GraphAnswer {
    const catalogue = graphCatalogue();
    const typeName = String(call.stored.data['@odata.type'] ?? call.collection.entityType);
    const target = /Collection\(microsoft\.graph\.(\w+)\)/.exec(catalogue.entityType(typeName)?.navigationProperties[member] ?? '')?.[1];
    if (!target) return badRequest(`'${member}' cannot be written.`);
    validateEntity(catalogue, target, call.body, { mode: 'update' });
    Object.assign(item, structuredClone(call.body) as GraphObject);
    touch({ key: call.collection.key, data: item, relations: {} });
    touch(call.stored);
    return { status: 204 };
  }
}

/** `{name}@odata.bind` keys a collection's single-valued reference navigations take. */
function referenceBinds(collection: CollectionDefinition): string[] {
  return Object.entries(collection.navigations).flatMap(([name, rule]) => (rule.reference ? [`${name}@odata.bind`] : []));
}

/**
 * Resolves `{name}@odata.bind` (an URL of an object of the referenced collection, on the caller's host) into the
 * stored reference, removing the bind from the body; an URL naming nothing answers 400 as Graph does.
 */
function bindReferences(call: GraphCall, collection: CollectionDefinition, body: GraphObject, stored: StoredObject): GraphAnswer | undefined {
  for (const [name, rule] of Object.entries(collection.navigations)) {
    const key = `${name}@odata.bind`;
    if (!rule.reference || !(key in body)) continue;
    const url = body[key];
    delete body[key];
    const referenced = collectionByKey(rule.reference);
    const prefix = `${call.baseUrl}/${call.version}/`;
    const path = typeof url === 'string' && url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
    const segments = path === undefined ? [] : pathSegments(path);
    const viewPath = referenced?.views[0].path.split('/') ?? [];
    const id = segments.length === viewPath.length + 1 && viewPath.every((segment, index) => segments[index] === segment) ? segments[viewPath.length] : undefined;
    if (!referenced || id === undefined || !call.tenant.get(referenced.key, id)) return badRequest(`The ${name} '${String(url)}' does not name an existing ${referenced?.entityType ?? name}.`);
    stored.relations[name] = [{ id }];
  }
  return undefined;
}

/** The tenant's device management settings: `GET /deviceManagement/settings`, written with `PATCH /deviceManagement` `{ settings }`. */
function tenantSettings(call: GraphCall, whole: boolean): GraphAnswer {
  if (!whole && call.method === 'GET') return { status: 200, body: { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#deviceManagement/settings`, ...structuredClone(call.tenant.settings) } };
  if (!whole || call.method !== 'PATCH') return methodNotAllowed(`The method ${call.method} is not allowed on '${call.path}'.`);
  const body = (call.body ?? {}) as GraphObject;
  const other = Object.keys(body).find((key) => key !== 'settings');
  if (other) throw new ValidationError(`The emulator serves only 'settings' of 'microsoft.graph.deviceManagement'; '${other}' cannot be written here.`);
  if (typeof body.settings !== 'object' || body.settings === null || Array.isArray(body.settings)) throw new ValidationError("The property 'settings' must be a 'microsoft.graph.deviceManagementSettings'.");
  validateComplexValue(graphCatalogue(), 'microsoft.graph.deviceManagementSettings', body.settings, 'settings');
  call.tenant.settings = { ...call.tenant.settings, ...(structuredClone(body.settings) as GraphObject) };
  return { status: 204 };
}

/** Intune gives a new enrollment configuration the lowest precedence among those of its kind (the highest number). */
function lastPriority(tenant: TenantStore, odataType: unknown): number {
  const priorities = tenant.list('enrollmentConfiguration').filter((other) => other.data['@odata.type'] === odataType).map((other) => Number(other.data.priority) || 0);
  return Math.max(0, ...priorities);
}

/** Rules Graph's services apply to creates beyond the type (documented per resource). */
function createRefusal(collection: CollectionDefinition, body: GraphObject): string | undefined {
  const name = body[collection.nameProperty];
  if (typeof name !== 'string' || name.trim() === '') return `The property '${collection.nameProperty}' is required.`;
  if (collection.key === 'compliancePolicy') return complianceActionsRefusal(body.scheduledActionsForRule);
  if (collection.key === 'roleAssignment' && !('roleDefinition@odata.bind' in body)) return 'A role assignment needs the role it grants (roleDefinition@odata.bind).';
  if (collection.key === 'enrollmentConfiguration' && body.priority === 0) return 'Priority 0 is reserved for the default enrollment configurations.';
  if (collection.key === 'roleDefinition' && body.isBuiltIn === true) return 'Built-in roles cannot be created.';
  if (collection.key === 'brandingProfile' && body.isDefaultProfile === true) return 'Every tenant has its one default branding profile; another cannot be created.';
  if (collection.key === 'scopeTag' && name.trim().toLowerCase() === 'default') return "The scope tag name 'Default' is reserved for the built-in scope tag.";
  return undefined;
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}
