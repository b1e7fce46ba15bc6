import { createHash } from 'node:crypto';
import type { RunType } from '@policyvault/contracts';

/**
 * A canonical form of a target or scope: keys sorted, absent/null/false/empty values dropped (they
 * mean "default"), lists of strings de-duplicated and sorted (a selection is a set). Two requests
 * that mean the same work get the same form, whatever order the client sent.
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonicalize);
    return items.every((item) => typeof item === 'string') ? [...new Set(items as string[])].sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const entry = canonicalize((value as Record<string, unknown>)[key]);
      if (entry === undefined || entry === null || entry === false) continue;
      if (Array.isArray(entry) && entry.length === 0) continue;
      result[key] = entry;
    }
    return result;
  }
  return value;
}

export function stableHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonicalize(value))).digest('hex');
}

/** tenant + type + target + hash of the scope: the identity of "the same work". */
export function dedupeKey(tenantId: string, type: RunType, target: object, scopeHash: string): string {
  return `${tenantId}|${type}|${stableHash(target)}|${scopeHash}`;
}
