import { SafeErrorCode, TenantAccessHealth, type SafeError, type TenantVerifyAccessSummary } from '@policyvault/contracts';
import { GraphError, getPolicyTypeContract, listPolicyTypes, minimalPermissions, missingPermissions } from '@policyvault/graph';

/** What one policy type needs in the tenant and which of it the token lacks. */
export interface PolicyTypeAccess {
  policyType: string;
  displayName: string;
  /** Read and restore permissions together, as an admin grants them. */
  needed: string[];
  missing: string[];
}

export interface AccessAssessment {
  types: PolicyTypeAccess[];
  summary: TenantVerifyAccessSummary;
}

/** Compares the granted application permissions with what each supported type (foundations included) needs. */
export function assessAccess(granted: readonly string[], policyTypes: readonly string[] = listPolicyTypes({ includeFoundations: true })): AccessAssessment {
  const types = policyTypes.flatMap((policyType): PolicyTypeAccess[] => {
    const lookup = getPolicyTypeContract(policyType);
    if (!lookup.supported) return [];
    const needed = minimalPermissions([...lookup.contract.permissions.read, ...lookup.contract.permissions.restore]);
    return [{ policyType, displayName: lookup.contract.displayName, needed, missing: missingPermissions(needed, granted) }];
  });
  const missing = minimalPermissions(types.flatMap((type) => type.missing));
  return {
    types,
    summary: {
      health: missing.length === 0 ? TenantAccessHealth.Ok : TenantAccessHealth.MissingPermissions,
      missingPermissions: missing,
      grantedPermissions: [...new Set(granted)].sort(),
    },
  };
}

/** The item error of a type the token lacks permissions for (names only: never the token). */
export function missingPermissionsError(access: PolicyTypeAccess): SafeError {
  return {
    code: SafeErrorCode.MissingPermissions,
    message: 'The app lacks application permissions this policy type needs in the tenant.',
    context: { policyType: access.policyType, missingPermissions: access.missing.join(', ') },
  };
}

/**
 * Entra's answers to a client-credentials request that are a fact about the tenant:
 * - AADSTS7000229 "the client application is missing service principal in the tenant" (what Entra answers
 *   for a multi-tenant app no admin consented to there) and AADSTS700016 "application not found in the
 *   directory" (its older answer to the same) → `no_consent`;
 * - AADSTS90002 "tenant not found" and AADSTS900023 "invalid tenant identifier" → `unreachable`.
 */
const NO_CONSENT_CODES = new Set(['AADSTS7000229', 'AADSTS700016']);
const UNKNOWN_TENANT_CODES = new Set(['AADSTS90002', 'AADSTS900023']);

/**
 * How a failed token request ends the check: a definitive answer is a health; a transient failure
 * (network, the authority's 5xx) is retried like other Graph failures until `attemptsLeft` runs out, then
 * it is `unreachable`; anything else (the MSP's own credentials refused: AADSTS7000215 wrong secret,
 * AADSTS7000222 expired one) says nothing about the tenant and fails the run.
 */
export type TokenFailureVerdict =
  | { kind: 'health'; health: TenantAccessHealth.NoConsent | TenantAccessHealth.Unreachable; error: SafeError }
  | { kind: 'retry' }
  | { kind: 'fail'; error: SafeError };

export function judgeTokenFailure(error: GraphError, attemptsLeft: boolean): TokenFailureVerdict {
  const code = error.graphErrorCode ?? '';
  if (NO_CONSENT_CODES.has(code)) return { kind: 'health', health: TenantAccessHealth.NoConsent, error: error.toSafeError() };
  if (UNKNOWN_TENANT_CODES.has(code)) return { kind: 'health', health: TenantAccessHealth.Unreachable, error: error.toSafeError() };
  if (error.transient) return attemptsLeft ? { kind: 'retry' } : { kind: 'health', health: TenantAccessHealth.Unreachable, error: error.toSafeError() };
  return { kind: 'fail', error: error.toSafeError() };
}

/** The summary of a check that got no token. */
export function summaryWithoutToken(health: TenantAccessHealth.NoConsent | TenantAccessHealth.Unreachable): TenantVerifyAccessSummary {
  return { health, missingPermissions: [], grantedPermissions: [] };
}
