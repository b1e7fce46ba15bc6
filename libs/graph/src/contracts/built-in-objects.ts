type GraphObject = Record<string, unknown>;

/** Intune's default enrollment configurations: `{tenant}_DefaultPlatformRestrictions`, `…_DefaultWindows10EnrollmentCompletionPageConfiguration`… */
const DEFAULT_ENROLLMENT_ID = /_Default[A-Za-z0-9]*$/;

const builtInRules: Readonly<Record<string, (object: GraphObject) => boolean>> = {
  // Defaults exist in every tenant with priority 0 and cannot be created or deleted.
  enrollmentConfiguration: (object) => object.priority === 0 || (typeof object.id === 'string' && DEFAULT_ENROLLMENT_ID.test(object.id)),
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
