import { COMMON_READ_ONLY_PROPERTIES, type PolicyTypeContract } from '@policyvault/graph';
import type { GraphObject } from './tenant-store.js';

/** Types whose collection is abstract: a create must say which derived type it is. */
const POLYMORPHIC_TYPES = new Set(['deviceConfiguration', 'compliancePolicy', 'enrollmentConfiguration', 'appProtectionPolicy', 'appConfigurationPolicy', 'autopilotProfile']);

const isAnnotation = (key: string) => key.includes('@odata.') && key !== '@odata.type';

function isPlainObject(value: unknown): value is GraphObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nestedReadOnly(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = nestedReadOnly(value[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isAnnotation(key)) return `${path}.${key}`;
    const found = nestedReadOnly(child, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Graph-like validation of a create or update body; returns the 400 message, or undefined when valid.
 * Read-only properties anywhere (including inside inline relations) are refused, as Intune does.
 */
export function validateWriteBody(contract: PolicyTypeContract, body: unknown, mode: 'create' | 'update'): string | undefined {
  if (!isPlainObject(body)) return 'Empty Payload. JSON content expected.';
  const separate = new Set(contract.subResources.filter((sub) => sub.write === 'separate').map((sub) => sub.name));
  const inline = new Set(contract.subResources.filter((sub) => sub.write === 'inline').map((sub) => sub.name));
  for (const [key, value] of Object.entries(body)) {
    if (COMMON_READ_ONLY_PROPERTIES.includes(key) || isAnnotation(key)) return `Property '${key}' is read-only and cannot be set.`;
    if (contract.stripProperties.includes(key)) return `Property '${key}' is read-only and cannot be set.`;
    if (separate.has(key) || key === 'assignments') return `Navigation property '${key}' cannot be set in this request.`;
    if (inline.has(key)) {
      if (!Array.isArray(value)) return `Property '${key}' must be a collection.`;
      const found = nestedReadOnly(value, key);
      if (found) return `Property '${found}' is read-only and cannot be set.`;
    }
  }
  if (mode === 'create') {
    const name = body[contract.nameProperty];
    if (typeof name !== 'string' || name.trim() === '') return `Property '${contract.nameProperty}' is required.`;
    if (POLYMORPHIC_TYPES.has(contract.type) && typeof body['@odata.type'] !== 'string') {
      return `Cannot create an abstract type; '@odata.type' is required.`;
    }
  }
  return undefined;
}
