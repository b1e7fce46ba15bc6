import { getPolicyTypeContract } from './policy-type-contracts.js';
import type { PolicyTypeContract } from './policy-type-contract.js';

type GraphObject = Record<string, unknown>;

/** Server-managed on every Intune object: Graph answers 400 when a write carries them. */
export const COMMON_READ_ONLY_PROPERTIES: readonly string[] = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'version',
  '@odata.context',
  '@odata.id',
  '@odata.etag',
  '@odata.editLink',
  '@odata.nextLink',
];

/**
 * OData annotations Graph adds on reads (`@odata.id`, `assignments@odata.context`,
 * `settings@odata.navigationLink`, `x@odata.type`…): everything but an object's own `@odata.type`.
 * Binds (`x@odata.bind`) are annotations too: a write strategy adds the ones it means after stripping.
 */
export function isReadOnlyAnnotation(key: string): boolean {
  return key !== '@odata.type' && key.includes('@odata.');
}

/** Action entries exports carry (`#microsoft.graph.assign`, `#microsoft.graph.createCopy`). */
export function isActionEntry(key: string): boolean {
  return key.startsWith('#');
}

export const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Removes annotations and action entries at every depth (values of writable complex properties stay). */
export function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (!isPlainObject(value)) return value;
  const result: GraphObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (isReadOnlyAnnotation(key) || isActionEntry(key)) continue;
    result[key] = withoutAnnotations(child);
  }
  return result;
}

/** Removes server-managed keys (ids, timestamps, versions) besides annotations, at every depth of a relation. */
export function withoutServerManaged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutServerManaged);
  if (!isPlainObject(value)) return value;
  const result: GraphObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isReadOnlyAnnotation(key) || isActionEntry(key)) continue;
    result[key] = withoutServerManaged(child);
  }
  return result;
}

/** `create`: a POST body; `update`: a PATCH/PUT body (also drops what Graph accepts only on create). */
export type WriteMode = 'create' | 'update';

export type StripResult = { supported: true; body: GraphObject } | { supported: false; type: string; reason: string };

/**
 * The body of a write for a captured object: annotations and action entries removed at every depth,
 * common and type-specific read-only properties removed, relations written separately (assignments,
 * definition values, intent settings, app protection apps) removed, inline relations (settings-catalog
 * settings, compliance scheduled actions) kept without their server ids. Never mutates the input.
 */
export function stripWithContract(contract: PolicyTypeContract, object: GraphObject, mode: WriteMode = 'create'): GraphObject {
  const inline = new Set(contract.subResources.filter((sub) => sub.write === 'inline').map((sub) => sub.name));
  const separate = new Set(contract.subResources.filter((sub) => sub.write === 'separate').map((sub) => sub.name));
  const updateOnly = mode === 'update' ? (contract.stripOnUpdate ?? []) : [];
  const body: GraphObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isReadOnlyAnnotation(key) || isActionEntry(key)) continue;
    if (contract.stripProperties.includes(key) || updateOnly.includes(key) || separate.has(key) || key === 'assignments') continue;
    body[key] = inline.has(key) ? withoutServerManaged(value) : withoutAnnotations(value);
  }
  return body;
}

export function stripForWrite(type: string, object: GraphObject, mode: WriteMode = 'create'): StripResult {
  const lookup = getPolicyTypeContract(type);
  if (!lookup.supported) return lookup;
  return { supported: true, body: stripWithContract(lookup.contract, object, mode) };
}
