import { TimeoutError } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { assertNever } from '../errors/assert-never.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';

const RPC_ERROR_CODES = new Set<string>(Object.values(RpcErrorCode));

/** What the mapping needs to know about the call that failed. */
export interface FailedCall {
  /** The service that should have answered, named in 502/503 messages (`run-service`, `capture-worker`). */
  service: string;
  timeoutMs: number;
  /** The message of a `not_found` answer, naming what was not found (`run not found in this tenant`). */
  notFound: string;
}

/**
 * What a failed request/reply call means for the HTTP caller. The service's own answers
 * (`{ code, message }`) keep their meaning; silence (timeout, no responder, lost connection) is a
 * 503 the caller may retry; anything unreadable is a 502. Internal details never reach the caller.
 */
export function gatewayExceptionFromRpcError(error: unknown, call: FailedCall): GatewayException {
  if (error instanceof TimeoutError) {
    return new GatewayException(GatewayErrorCode.UpstreamUnavailable, `${call.service} did not answer within ${call.timeoutMs} ms; try again`);
  }
  if (isRpcErrorBody(error)) return fromRpcError(error.code as RpcErrorCode, error.message, call);
  if (isUnexpectedServerError(error)) {
    return new GatewayException(GatewayErrorCode.UpstreamFailed, `${call.service} answered with an unexpected error`);
  }
  // No responder (EmptyResponseException), a lost connection (an Error, or a string from ClientNats).
  return unavailable(call);
}

function fromRpcError(code: RpcErrorCode, message: string, call: FailedCall): GatewayException {
  switch (code) {
    case RpcErrorCode.ValidationFailed:
      return new GatewayException(GatewayErrorCode.InvalidRequest, message);
    case RpcErrorCode.NotFound:
      return new GatewayException(GatewayErrorCode.NotFound, call.notFound);
    case RpcErrorCode.Forbidden:
      return new GatewayException(GatewayErrorCode.TenantAccessDenied, message);
    case RpcErrorCode.Conflict:
      return new GatewayException(GatewayErrorCode.Conflict, message);
    case RpcErrorCode.Unavailable:
      return unavailable(call);
    case RpcErrorCode.Internal:
      return new GatewayException(GatewayErrorCode.UpstreamFailed, `${call.service} failed to answer`);
    default:
      return assertNever(code);
  }
}

function unavailable(call: FailedCall): GatewayException {
  return new GatewayException(GatewayErrorCode.UpstreamUnavailable, `${call.service} is not available; try again`);
}

function isRpcErrorBody(error: unknown): error is { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && RPC_ERROR_CODES.has(code) && typeof message === 'string';
}

/** Nest's reply for an exception that was not an RpcException: `{ status: 'error', message }`. */
function isUnexpectedServerError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && !(error instanceof Error) && (error as { status?: unknown }).status === 'error';
}
