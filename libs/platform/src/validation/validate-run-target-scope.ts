import { RUN_TYPES_REGISTRY, type RunScopeOf, type RunTargetOf, type RunType } from '@policyvault/contracts';
import { validateMessage, type Validated } from './validate-message.js';

/** Targets are small identifiers; scopes may select up to MAX_SELECTED_ITEMS ids (about 195 KB of UUIDs). */
export const MAX_TARGET_JSON_BYTES = 2 * 1024;
export const MAX_SCOPE_JSON_BYTES = 200 * 1024;

export interface RunTargetAndScope<T extends RunType> {
  target: RunTargetOf<T>;
  scope: RunScopeOf<T>;
}

/**
 * A run's target and scope checked against its run type's classes in RUN_TYPES_REGISTRY: the one
 * check the gateway (400), run-service (validation_failed) and the workers (rejected command) make.
 * Each problem names its field (`target.policyId: must be a UUID`, `scope.keepLast: …`).
 */
export function validateRunTargetAndScope<T extends RunType>(type: T, target: unknown, scope: unknown): Validated<RunTargetAndScope<T>> {
  const definition = RUN_TYPES_REGISTRY[type];
  const checkedTarget = validatePart('target', definition.target, target, MAX_TARGET_JSON_BYTES);
  const checkedScope = validatePart('scope', definition.scope, scope, MAX_SCOPE_JSON_BYTES);
  if (!checkedTarget.ok || !checkedScope.ok) {
    return { ok: false, problems: [...(checkedTarget.ok ? [] : checkedTarget.problems), ...(checkedScope.ok ? [] : checkedScope.problems)] };
  }
  return { ok: true, value: { target: checkedTarget.value as RunTargetOf<T>, scope: checkedScope.value as RunScopeOf<T> } };
}

function validatePart(part: string, schema: new () => object, value: unknown, maxBytes: number): Validated<object> {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > maxBytes) return { ok: false, problems: [`${part}: must not exceed ${maxBytes} bytes of JSON (got ${bytes})`] };
  const result = validateMessage(schema, value);
  if (result.ok) return result;
  return { ok: false, problems: result.problems.map((problem) => (problem.startsWith('message:') ? `${part}:${problem.slice('message:'.length)}` : `${part}.${problem}`)) };
}
