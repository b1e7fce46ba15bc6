/**
 * Errors that may be stored, shown and sent: a code from this enum plus whitelisted context.
 * Never a raw exception message (it may carry a token, a URL with a secret, or a Graph payload).
 */
export enum SafeErrorCode {
  GraphAuthFailed = 'graph_auth_failed',
  GraphForbidden = 'graph_forbidden',
  GraphNotFound = 'graph_not_found',
  GraphBadRequest = 'graph_bad_request',
  GraphThrottled = 'graph_throttled',
  GraphUnavailable = 'graph_unavailable',
  GraphTimeout = 'graph_timeout',
  GraphNetworkError = 'graph_network_error',
  GraphInvalidResponse = 'graph_invalid_response',
  GraphReadOnlyViolation = 'graph_read_only_violation',
  TenantUnavailable = 'tenant_unavailable',
  UnsupportedPolicyType = 'unsupported_policy_type',
  /** Graph did not give the plaintext of a secret value (capture stores nothing for the item). */
  SecretValueUnreadable = 'secret_value_unreadable',
  /** A stored secret value was encrypted with a key id this service is not configured with. */
  SecretKeyUnavailable = 'secret_key_unavailable',
  /** A stored secret value is malformed or was altered (its authentication failed). */
  SecretValueInvalid = 'secret_value_invalid',
  /** The app lacks application permissions a policy type needs in the tenant (access check). */
  MissingPermissions = 'missing_permissions',
  /** An import archive refused as a whole (size, entries, depth, compression ratio, paths, links, not a zip): nothing is kept. */
  ImportArchiveRejected = 'import_archive_rejected',
  /** One file of an import could not be read (encoding, JSON/YAML syntax, size, hostile content). */
  ImportFileUnreadable = 'import_file_unreadable',
  /** One file of an import was read but is not an object of a known policy type. */
  ImportFileUnplaced = 'import_file_unplaced',
  /** An imported object's secret value was left out of its export (`policyVaultSecretOmitted`): nothing to restore it from. */
  SecretValueOmitted = 'secret_value_omitted',
  /** The uploaded archive of an import is no longer in the imports bucket (expired or deleted). */
  ImportUploadMissing = 'import_upload_missing',
  NotFound = 'not_found',
  InvalidCommand = 'invalid_command',
  DeliveryExhausted = 'delivery_exhausted',
  /** A worker reported items run-service never received (the run cannot be reported succeeded). */
  ItemsMissing = 'items_missing',
  Canceled = 'canceled',
  Internal = 'internal_error',
}

export interface SafeErrorContext {
  httpStatus?: number;
  graphErrorCode?: string;
  requestId?: string;
  retryAfterSeconds?: number;
  policyType?: string;
  /** Application permission names, comma-separated (the access check's missing ones). */
  missingPermissions?: string;
  /** An imported file's path inside its archive (import items; the file's own name, never its content). */
  fileName?: string;
}

export interface SafeError {
  code: SafeErrorCode;
  /** A fixed, human-readable sentence chosen by our code, never copied from an exception. */
  message: string;
  context?: SafeErrorContext;
}

const allowedContextKeys: ReadonlyArray<keyof SafeErrorContext> = [
  'httpStatus',
  'graphErrorCode',
  'requestId',
  'retryAfterSeconds',
  'policyType',
  'missingPermissions',
  'fileName',
];

/** Keeps only whitelisted context keys with primitive values (defence in depth before storing). */
export function sanitizeSafeError(error: SafeError): SafeError {
  const context: Record<string, string | number> = {};
  for (const key of allowedContextKeys) {
    const value = error.context?.[key];
    if (typeof value === 'number' || (typeof value === 'string' && value.length <= 200)) context[key] = value;
  }
  const code = Object.values(SafeErrorCode).includes(error.code) ? error.code : SafeErrorCode.Internal;
  return {
    code,
    message: String(error.message ?? '').slice(0, 300),
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
}
