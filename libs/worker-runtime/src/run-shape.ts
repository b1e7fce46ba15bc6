import { RUN_TYPE_SHAPES, type RunCommand } from '@policyvault/contracts';
import { validateMessage } from '@policyvault/platform';

export type RunShape<Target, Scope> = { ok: true; target: Target; scope: Scope } | { ok: false; reason: string };

/**
 * A command's target and scope checked against its run type's shape (RUN_TYPE_SHAPES), as run-service
 * checked them before queueing: a command that fails here was altered or is from an incompatible
 * version, and is rejected. The caller names the classes it expects; the registry is the one checked.
 */
export function validateRunShape<Target extends object, Scope extends object>(command: RunCommand): RunShape<Target, Scope> {
  const shape = RUN_TYPE_SHAPES[command.type];
  const target = validateMessage(shape.target, command.target);
  if (!target.ok) return { ok: false, reason: `invalid target: ${target.problems.join('; ')}` };
  const scope = validateMessage(shape.scope, command.scope);
  if (!scope.ok) return { ok: false, reason: `invalid scope: ${scope.problems.join('; ')}` };
  return { ok: true, target: target.value as Target, scope: scope.value as Scope };
}
