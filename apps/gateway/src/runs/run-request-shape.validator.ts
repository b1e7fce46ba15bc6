import { EmptyScope, EmptyTarget, RUN_TYPE_SHAPES, type RunType } from '@policyvault/contracts';
import { validateMessage } from '@policyvault/platform';

/** Targets are small identifiers; scopes may select up to MAX_SELECTED_ITEMS ids (about 195 KB of UUIDs). */
export const MAX_TARGET_JSON_BYTES = 2 * 1024;
export const MAX_SCOPE_JSON_BYTES = 200 * 1024;

/**
 * Checks a start request's target and scope against its run type's contract classes. Returns the
 * problems, each naming its field (`target.policyId: must be a UUID`); empty when valid.
 */
export function runRequestShapeProblems(type: RunType, target: object, scope: object): string[] {
  const shape = RUN_TYPE_SHAPES[type];
  return [
    ...partProblems('target', shape.target, target, MAX_TARGET_JSON_BYTES),
    ...partProblems('scope', shape.scope, scope, MAX_SCOPE_JSON_BYTES),
  ];
}

function partProblems(part: string, schema: new () => object, value: object, maxBytes: number): string[] {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > maxBytes) return [`${part}: must not exceed ${maxBytes} bytes of JSON (got ${bytes})`];
  // An empty shape has no validation rules, which class-validator's forbidUnknownValues rejects
  // outright; for those the only rule is "no properties".
  if (schema === EmptyTarget || schema === EmptyScope) {
    return Object.keys(value).map((key) => `${part}.${key}: property ${key} should not exist`);
  }
  const result = validateMessage(schema, value);
  return result.ok ? [] : result.problems.map((problem) => `${part}.${problem}`);
}
