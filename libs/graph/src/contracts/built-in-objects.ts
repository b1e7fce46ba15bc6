import type { PolicyTypeContract } from './policy-type-contract.js';

type GraphObject = Record<string, unknown>;

/** Intune's default enrollment configurations: `{tenant}_DefaultPlatformRestrictions`, `…_DefaultWindows10EnrollmentCompletionPageConfiguration`… */
const DEFAULT_ENROLLMENT_ID = /_Default[A-Za-z0-9]*$/;

// Defaults exist in every tenant with priority 0 and cannot be created or deleted.
const defaultEnrollment = (object: GraphObject) => object.priority === 0 || (typeof object.id === 'string' && DEFAULT_ENROLLMENT_ID.test(object.id));

const builtInRules: Readonly<Record<string, (object: GraphObject) => boolean>> = {
  enrollmentConfiguration: defaultEnrollment,
  enrollmentStatusPage: defaultEnrollment,
  enrollmentPlatformRestriction: defaultEnrollment,
  enrollmentDeviceLimit: defaultEnrollment,
  enrollmentWindowsHelloForBusiness: defaultEnrollment,
  // Intune's built-in roles (Help Desk Operator…): the same in every tenant, read-only.
  roleDefinition: (object) => object.isBuiltIn === true || object.isBuiltInRoleDefinition === true,
  // `0` is the built-in Default tag; it cannot be created, changed or deleted.
  scopeTag: (object) => object.isBuiltIn === true || object.id === '0',
  // Microsoft's own remediation scripts, published to every tenant.
  remediationScript: (object) => object.isGlobalScript === true,
  // Microsoft's authentication strengths (multifactor, passwordless, phishing-resistant) exist in every tenant.
  authenticationStrengthPolicy: (object) => object.policyType === 'builtIn',
};

/**
 * Objects Intune provides itself: captured like any other, but a restore never creates or overwrites
 * them (the plan skips them with reason `built_in`).
 */
export function isBuiltInObject(policyType: string, object: GraphObject): boolean {
  const rule = Object.prototype.hasOwnProperty.call(builtInRules, policyType) ? builtInRules[policyType] : undefined;
  return rule ? rule(object) : false;
}

/**
 * Objects every tenant has that a restore may change but never creates: the default branding profile and
 * tenant-wide settings (singletons). Missing in the target, they are skipped with `built_in`.
 */
export function isUpdateOnlyObject(contract: PolicyTypeContract, object: GraphObject): boolean {
  if (contract.singletonId !== undefined) return true;
  return contract.type === 'brandingProfile' && object.isDefaultProfile === true;
}
