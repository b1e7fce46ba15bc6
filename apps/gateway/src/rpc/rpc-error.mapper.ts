import { RpcErrorCode } from '@policyvault/contracts';
import { rpcExceptionFromReply } from '@policyvault/platform';
import { assertNever } from '../errors/assert-never.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { OtherTenantException } from '../errors/other-tenant.exception.js';

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
  const failed = rpcExceptionFromReply(error);
  switch (failed.failure) {
    case 'timeout':
      return new GatewayException(GatewayErrorCode.UpstreamUnavailable, `${call.service} did not answer within ${call.timeoutMs} ms; try again`);
    case 'unexpected_reply':
      return new GatewayException(GatewayErrorCode.UpstreamFailed, `${call.service} answered with an unexpected error`);
    case 'unreachable':
      return unavailable(call);
    case undefined:
      return fromRpcError(failed.code, failed.message, call, failed.ownerTenantId);
    default:
      return assertNever(failed.failure);
  }
}

function fromRpcError(code: RpcErrorCode, message: string, call: FailedCall, ownerTenantId: string | undefined): GatewayException {
  switch (code) {
    case RpcErrorCode.ValidationFailed:
      return new GatewayException(GatewayErrorCode.InvalidRequest, message);
    case RpcErrorCode.NotFound:
      return new GatewayException(GatewayErrorCode.NotFound, call.notFound);
    case RpcErrorCode.OtherTenant:
      // 403 or 404 is the caller's to decide (OtherTenantInterceptor); the owner goes no further.
      return new OtherTenantException(ownerTenantId ? [ownerTenantId] : [], call.notFound);
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
