import { TimeoutError } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { assertNever } from '../errors/assert-never.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';

const RPC_ERROR_CODES = new Set<string>(Object.values(RpcErrorCode));

/**
 * What a failed call to run-service means for the HTTP caller. run-service's own answers
 * (`{ code, message }`) keep their meaning; silence (timeout, no responder, lost connection) is a
 * 503 the caller may retry; anything unreadable is a 502.
 */
export function gatewayExceptionFromRunServiceError(error: unknown, timeoutMs: number): GatewayException {
  if (error instanceof TimeoutError) {
    return new GatewayException(GatewayErrorCode.RunServiceUnavailable, `run-service did not answer within ${timeoutMs} ms; try again`);
  }
  if (isRpcErrorBody(error)) return fromRpcError(error.code as RpcErrorCode, error.message);
  if (isUnexpectedServerError(error)) {
    return new GatewayException(GatewayErrorCode.RunServiceFailed, 'run-service answered with an unexpected error');
  }
  // No responder (EmptyResponseException), a lost connection (an Error, or a string from ClientNats).
  return new GatewayException(GatewayErrorCode.RunServiceUnavailable, 'run-service is not available; try again');
}

function fromRpcError(code: RpcErrorCode, message: string): GatewayException {
  switch (code) {
    case RpcErrorCode.ValidationFailed:
      return new GatewayException(GatewayErrorCode.InvalidRequest, message);
    case RpcErrorCode.NotFound:
      return new GatewayException(GatewayErrorCode.RunNotFound, 'run not found in this tenant');
    case RpcErrorCode.Forbidden:
      return new GatewayException(GatewayErrorCode.TenantAccessDenied, message);
    case RpcErrorCode.Conflict:
      return new GatewayException(GatewayErrorCode.Conflict, message);
    case RpcErrorCode.Unavailable:
      return new GatewayException(GatewayErrorCode.RunServiceUnavailable, 'run-service is not available; try again');
    case RpcErrorCode.Internal:
      return new GatewayException(GatewayErrorCode.RunServiceFailed, 'run-service failed to answer');
    default:
      return assertNever(code);
  }
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
