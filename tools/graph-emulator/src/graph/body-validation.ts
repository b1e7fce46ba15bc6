import { parseMemberType, shortTypeName, type GraphCatalogue, type MemberType } from '../catalogue/graph-catalogue.js';
import { SERVER_STAMPS, type NavigationRule } from '../catalogue/collections.js';
import type { GraphObject } from './tenant-store.js';

/** Complex-type properties the service computes (per the type's page in Graph's reference). */
const COMPLEX_READ_ONLY: Record<string, string[]> = { omaSetting: ['secretReferenceValueId'] };

export interface EntityRules {
  mode: 'create' | 'update';
  /** Read-only beyond the server stamps. */
  readOnly?: readonly string[];
  /** Navigation properties that may be written inline, and how. */
  navigations?: Record<string, NavigationRule>;
  /** `x@odata.bind` keys allowed anywhere in this body (updateDefinitionValues). */
  binds?: readonly string[];
  /** Item ids allowed (updateDefinitionValues `updated`); otherwise `id` is server-managed. */
  allowIds?: boolean;
  /** For updates: the stored object's type; `@odata.type` may only repeat it. */
  storedType?: string;
}

export class ValidationError extends Error {}

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const qualified = (name: string) => `microsoft.graph.${name}`;

/**
 * Checks a write body against Graph's published type: unknown, read-only and navigation properties, action
 * entries (`#microsoft.graph.assign`) and OData annotations are refused at every depth, naming the property.
 * Returns the concrete entity type; throws ValidationError with Graph's message otherwise.
 */
export function validateEntity(catalogue: GraphCatalogue, expectedType: string, body: unknown, rules: EntityRules, path = ''): string {
  if (!isPlainObject(body)) throw new ValidationError('Empty Payload. JSON content expected.');
  const concrete = resolveType(catalogue, expectedType, body['@odata.type'], 'entity', path);
  if (rules.storedType && shortTypeName(rules.storedType) !== concrete) {
    throw new ValidationError(`The type '${qualified(concrete)}' of the payload does not match the type '${qualified(shortTypeName(rules.storedType))}' of the entity.`);
  }
  const type = catalogue.entityType(concrete);
  if (!type) throw new ValidationError(`A type named '${qualified(concrete)}' could not be resolved by the model.`);
  if (type.abstract && rules.mode === 'create') throw new ValidationError(`Cannot create an instance of the abstract type '${qualified(concrete)}'; '@odata.type' must name a derived type.`);
  const readOnly = new Set([...SERVER_STAMPS.filter((stamp) => !(rules.allowIds && stamp === 'id')), ...(rules.readOnly ?? [])]);
  for (const [key, value] of Object.entries(body)) {
    const where = `${path}${key}`;
    if (key === '@odata.type') continue;
    checkKeyShape(key, where, concrete, rules);
    if (key.includes('@')) continue;
    if (key in type.navigationProperties) {
      const rule = rules.navigations?.[key];
      const writable = rule?.inline === 'createAndUpdate' || (rule?.inline === 'create' && rules.mode === 'create');
      if (!rule || !writable) throw new ValidationError(`The navigation property '${where}' cannot be written in this request on type '${qualified(concrete)}'.`);
      const target = parseMemberType(type.navigationProperties[key]);
      if (!Array.isArray(value) || !target) throw new ValidationError(`The property '${where}' must be a collection of '${qualified(target?.name ?? key)}'.`);
      value.forEach((item, index) => validateEntity(catalogue, target.name, item, { ...rules, storedType: undefined, readOnly: [], navigations: rule.nested }, `${where}[${index}].`));
      continue;
    }
    if (!(key in type.properties)) throw new ValidationError(`The property '${where}' does not exist on type '${qualified(concrete)}'. Make sure to only use property names that are defined by the type.`);
    if (readOnly.has(key)) throw new ValidationError(`The property '${where}' is read-only and cannot be set on type '${qualified(concrete)}'.`);
    validateValue(catalogue, type.properties[key], value, `${where}`, rules);
  }
  return concrete;
}

/** Rejects action entries and annotations other than `@odata.type` and the allowed binds. */
function checkKeyShape(key: string, where: string, owner: string, rules: Pick<EntityRules, 'binds'>): void {
  if (key.startsWith('#')) throw new ValidationError(`The property '${where}' does not exist on type '${qualified(owner)}': actions such as '${key}' cannot be part of a request body.`);
  if (key.includes('@') && key !== '@odata.type' && !(rules.binds ?? []).includes(key)) {
    throw new ValidationError(`The annotation '${where}' is not allowed in a request body on type '${qualified(owner)}'.`);
  }
}

function resolveType(catalogue: GraphCatalogue, expected: string, given: unknown, kind: 'entity' | 'complex', path: string): string {
  const expectedName = shortTypeName(expected);
  if (given === undefined) return expectedName;
  if (typeof given !== 'string') throw new ValidationError(`The property '${path}@odata.type' must be a string.`);
  const name = shortTypeName(given);
  const known = kind === 'entity' ? catalogue.entityType(name) : catalogue.complexType(name);
  if (!known) throw new ValidationError(`A type named '${given.replace(/^#/, '')}' could not be resolved by the model.`);
  if (!catalogue.derivesFrom(name, expectedName)) throw new ValidationError(`The type '${qualified(name)}' is not derived from '${qualified(expectedName)}' ('${path || 'body'}').`);
  return name;
}

/** Typed values: complex types are checked like entities; values of types the metadata does not describe are only scanned. */
function validateValue(catalogue: GraphCatalogue, memberType: MemberType, value: unknown, where: string, rules: EntityRules): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => validateValue(catalogue, memberType, item, `${where}[${index}]`, rules));
    return;
  }
  if (!isPlainObject(value)) return;
  const declared = parseMemberType(memberType)?.name;
  if (!declared || !catalogue.complexType(declared)) return scanUntyped(value, `${where}.`, declared ?? 'unknown', rules);
  const concrete = resolveType(catalogue, declared, value['@odata.type'], 'complex', `${where}.`);
  const complex = catalogue.complexType(concrete);
  if (!complex) return scanUntyped(value, `${where}.`, concrete, rules);
  const readOnly = Object.entries(COMPLEX_READ_ONLY).filter(([base]) => catalogue.derivesFrom(concrete, base)).flatMap(([, names]) => names);
  for (const [key, child] of Object.entries(value)) {
    const path = `${where}.${key}`;
    if (key === '@odata.type') continue;
    checkKeyShape(key, path, concrete, rules);
    if (key.includes('@')) continue;
    if (!(key in complex.properties)) throw new ValidationError(`The property '${path}' does not exist on type '${qualified(concrete)}'. Make sure to only use property names that are defined by the type.`);
    if (readOnly.includes(key)) throw new ValidationError(`The property '${path}' is read-only and cannot be set on type '${qualified(concrete)}'.`);
    validateValue(catalogue, complex.properties[key], child, path, rules);
  }
}

function scanUntyped(value: unknown, where: string, owner: string, rules: EntityRules): void {
  if (Array.isArray(value)) return value.forEach((item, index) => scanUntyped(item, `${where.replace(/\.$/, '')}[${index}].`, owner, rules));
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    checkKeyShape(key, `${where}${key}`, owner, rules);
    scanUntyped(child, `${where}${key}.`, owner, rules);
  }
}

/** Parameters of a bound action: unknown parameters are refused, entity-typed ones validated as created entities. */
export function validateActionParameters(catalogue: GraphCatalogue, operation: string, parameters: Record<string, string>, body: unknown, rules: Omit<EntityRules, 'mode'> = {}): GraphObject {
  if (!isPlainObject(body)) throw new ValidationError('Empty Payload. JSON content expected.');
  for (const [key, value] of Object.entries(body)) {
    if (!(key in parameters)) throw new ValidationError(`The parameter '${key}' in the request payload is not a valid parameter for the operation '${operation}'.`);
    const type = parseMemberType(parameters[key]);
    if (!type || value === null) continue;
    if (type.collection !== Array.isArray(value)) throw new ValidationError(`The parameter '${key}' of '${operation}' must be ${type.collection ? 'a collection' : 'a single value'}.`);
    if (!catalogue.entityType(type.name)) {
      validateValue(catalogue, parameters[key], value, key, { mode: 'create', ...rules });
      continue;
    }
    (Array.isArray(value) ? value : [value]).forEach((item, index) => validateEntity(catalogue, type.name, item, { mode: 'create', ...rules }, `${key}[${index}].`));
  }
  return body;
}

/** A value of a complex type (the tenant's `deviceManagementSettings`) checked like a property of that type. */
export function validateComplexValue(catalogue: GraphCatalogue, typeName: string, value: unknown, where: string): void {
  validateValue(catalogue, typeName, value, where, { mode: 'update' });
}
