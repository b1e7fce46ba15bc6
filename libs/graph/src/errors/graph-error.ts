import { SafeErrorCode, type SafeError, type SafeErrorContext } from '@policyvault/contracts';

const safeMessages: Partial<Record<SafeErrorCode, string>> = {
  [SafeErrorCode.GraphAuthFailed]: 'Microsoft Graph refused the app credentials or token.',
  [SafeErrorCode.GraphForbidden]: 'The app lacks permission for this Microsoft Graph request.',
  [SafeErrorCode.GraphNotFound]: 'The object was not found in Microsoft Graph.',
  [SafeErrorCode.GraphBadRequest]: 'Microsoft Graph rejected the request as invalid.',
  [SafeErrorCode.GraphThrottled]: 'Microsoft Graph kept throttling the request.',
  [SafeErrorCode.GraphUnavailable]: 'Microsoft Graph is unavailable.',
  [SafeErrorCode.GraphTimeout]: 'Microsoft Graph did not answer in time.',
  [SafeErrorCode.GraphNetworkError]: 'The connection to Microsoft Graph failed.',
  [SafeErrorCode.GraphInvalidResponse]: 'Microsoft Graph returned a response that could not be read.',
  [SafeErrorCode.GraphReadOnlyViolation]: 'A write was attempted by a read-only Graph client and was not sent.',
  [SafeErrorCode.TenantUnavailable]: 'The tenant is temporarily unavailable; the work will be retried later.',
  [SafeErrorCode.UnsupportedPolicyType]: 'This policy type is not supported.',
};

export interface GraphErrorDetails {
  code: SafeErrorCode;
  httpStatus?: number;
  graphErrorCode?: string;
  requestId?: string;
  retryAfterSeconds?: number;
  /** Whether retrying the same request may succeed (throttling, 5xx, timeouts, network). */
  transient?: boolean;
}

/**
 * The only error libs/graph throws. Its message is a fixed sentence chosen here (never a Graph payload or
 * an exception text, which may carry a token or a URL); context is whitelisted and JSON-serialisable.
 */
export class GraphError extends Error {
  readonly code: SafeErrorCode;
  readonly httpStatus?: number;
  readonly graphErrorCode?: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly transient: boolean;

  constructor(details: GraphErrorDetails) {
    super(safeMessages[details.code] ?? 'Microsoft Graph request failed.');
    this.name = 'GraphError';
    this.code = details.code;
    this.httpStatus = details.httpStatus;
    this.graphErrorCode = sanitizeToken(details.graphErrorCode);
    this.requestId = sanitizeToken(details.requestId);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.transient = details.transient ?? false;
  }

  toSafeError(policyType?: string): SafeError {
    const context: SafeErrorContext = {};
    if (this.httpStatus !== undefined) context.httpStatus = this.httpStatus;
    if (this.graphErrorCode) context.graphErrorCode = this.graphErrorCode;
    if (this.requestId) context.requestId = this.requestId;
    if (this.retryAfterSeconds !== undefined) context.retryAfterSeconds = this.retryAfterSeconds;
    if (policyType) context.policyType = policyType;
    return { code: this.code, message: this.message, ...(Object.keys(context).length > 0 ? { context } : {}) };
  }

  toJSON(): SafeError & { name: string } {
    return { name: this.name, ...this.toSafeError() };
  }
}

/** The tenant's circuit breaker is open: postpone the work by `retryAfterSeconds`, do not fail it. */
export class TenantUnavailableError extends GraphError {
  constructor(retryAfterSeconds: number) {
    super({ code: SafeErrorCode.TenantUnavailable, retryAfterSeconds, transient: true });
    this.name = 'TenantUnavailableError';
  }
}

/**
 * Graph kept throttling (429/503) past the request's throttle budget: the tenant is out of budget for
 * now, so the work is postponed by `retryAfterSeconds` like an open breaker — never failed.
 */
export class TenantThrottledError extends TenantUnavailableError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.name = 'TenantThrottledError';
  }
}

/** A read-only client (restore preview) was asked to write; nothing was sent. */
export class ReadOnlyViolationError extends GraphError {
  readonly method: string;

  constructor(method: string) {
    super({ code: SafeErrorCode.GraphReadOnlyViolation });
    this.name = 'ReadOnlyViolationError';
    this.method = method;
  }
}

/** Graph error codes and request ids are short identifiers; anything else is dropped. */
function sanitizeToken(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : undefined;
}

export function safeCodeForStatus(status: number): SafeErrorCode {
  if (status === 401) return SafeErrorCode.GraphAuthFailed;
  if (status === 403) return SafeErrorCode.GraphForbidden;
  if (status === 404) return SafeErrorCode.GraphNotFound;
  if (status === 429) return SafeErrorCode.GraphThrottled;
  if (status === 408 || status === 504) return SafeErrorCode.GraphTimeout;
  if (status >= 500) return SafeErrorCode.GraphUnavailable;
  return SafeErrorCode.GraphBadRequest;
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Breaker bookkeeping: only server-side failures count against a tenant (never 4xx, including 429). */
export function countsAgainstBreaker(error: unknown): boolean {
  if (!(error instanceof GraphError)) return true;
  if (error.httpStatus !== undefined) return error.httpStatus >= 500;
  return (
    error.code === SafeErrorCode.GraphTimeout ||
    error.code === SafeErrorCode.GraphNetworkError ||
    error.code === SafeErrorCode.GraphInvalidResponse
  );
}
