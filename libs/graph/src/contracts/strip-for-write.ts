import { getPolicyTypeContract } from './policy-type-contracts.js';
import type { PolicyTypeContract } from './policy-type-contract.js';

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

/** OData annotations Graph adds on reads (`assignments@odata.context`, `settings@odata.navigationLink`…). */
export function isReadOnlyAnnotation(key: string): boolean {
  if (key === '@odata.type') return false;
  return key.includes('@odata.') && key !== '@odata.type';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes server-managed keys at every depth of an inline relation (settings, scheduled actions). */
function stripNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNested);
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isReadOnlyAnnotation(key)) continue;
    result[key] = stripNested(child);
  }
  return result;
}

export type StripResult =
  | { supported: true; body: Record<string, unknown> }
  | { supported: false; type: string; reason: string };

export function stripWithContract(contract: PolicyTypeContract, object: Record<string, unknown>): Record<string, unknown> {
  const inline = new Set(contract.subResources.filter((sub) => sub.write === 'inline').map((sub) => sub.name));
  const separate = new Set(contract.subResources.filter((sub) => sub.write === 'separate').map((sub) => sub.name));
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isReadOnlyAnnotation(key)) continue;
    if (contract.stripProperties.includes(key) || separate.has(key) || key === 'assignments') continue;
    body[key] = inline.has(key) ? stripNested(value) : value;
  }
  return body;
}

/**
 * The body to POST/PATCH for a captured object: common and type-specific read-only properties removed,
 * relations written separately (assignments, definition values) removed, inline relations cleaned.
 * Never mutates the input.
 */
export function stripForWrite(type: string, object: Record<string, unknown>): StripResult {
  const lookup = getPolicyTypeContract(type);
  if (!lookup.supported) return lookup;
  return { supported: true, body: stripWithContract(lookup.contract, object) };
}
