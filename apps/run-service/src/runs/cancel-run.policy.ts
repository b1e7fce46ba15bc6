import { roleAtLeast, TenantRole } from '@policyvault/contracts';

/** The lowest role that may cancel a run at all: its own. */
export const CANCEL_OWN_RUN_MINIMUM_ROLE = TenantRole.Operator;
/** The lowest role that may cancel anyone's run. */
export const CANCEL_ANY_RUN_MINIMUM_ROLE = TenantRole.Owner;

/** The one cancel rule: the run's initiator may cancel it (operator and up), and so may any owner. */
export function mayCancelRun(role: TenantRole, isInitiator: boolean): boolean {
  return roleAtLeast(role, isInitiator ? CANCEL_OWN_RUN_MINIMUM_ROLE : CANCEL_ANY_RUN_MINIMUM_ROLE);
}

/**
 * Why this caller may not cancel: a role that may cancel no run is refused before the run is looked
 * up (it learns nothing about which runs exist); otherwise it depends on who started the run.
 * Undefined when the cancel is allowed.
 */
export function cancelRefusal(role: TenantRole, isInitiator?: boolean): string | undefined {
  if (!mayCancelRun(role, true)) return `canceling a run needs the ${CANCEL_OWN_RUN_MINIMUM_ROLE} role in this tenant; you are ${role}`;
  if (isInitiator !== undefined && !mayCancelRun(role, isInitiator)) return 'only the user who started the run or a tenant owner may cancel it';
  return undefined;
}
