// What a `tenant.verify_access` run reports in its summary (run-service stores it as the run's `summary`;
// the gateway reads a tenant's health from its latest access check).

/** A tenant's access health as the last access check found it. */
export enum TenantAccessHealth {
  /** The app is consented and holds every application permission the supported policy types need. */
  Ok = 'ok',
  /** Consented, but some permissions are missing (listed in `missingPermissions`). */
  MissingPermissions = 'missing_permissions',
  /** The directory answered that the app has no service principal there: nobody consented yet. */
  NoConsent = 'no_consent',
  /** The directory does not exist, or the authority kept failing. */
  Unreachable = 'unreachable',
}

export interface TenantVerifyAccessSummary {
  health: TenantAccessHealth;
  /** Permissions to grant for every type to be captured and restored (empty unless `missing_permissions`). */
  missingPermissions: string[];
  /** The application permissions the tenant's token carries (`roles`; empty without a token). */
  grantedPermissions: string[];
}
