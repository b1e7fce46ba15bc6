import { TimeoutError } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { RpcException } from './rpc.exception.js';

const RPC_ERROR_CODES = new Set<string>(Object.values(RpcErrorCode));

/**
 * What a failed request means, as one RpcException. The service's own answers (`{ code, message }`)
 * keep their code and message; silence (timeout, no responder, lost connection, an unknown code) is
 * `unavailable`; Nest's reply for an error that was not ours (`{ status: 'error' }`) is `internal_error`.
 */
export function rpcExceptionFromReply(error: unknown): RpcException {
  if (error instanceof RpcException) return error;
  if (error instanceof TimeoutError) return new RpcException(RpcErrorCode.Unavailable, 'the service did not answer in time', 'timeout');
  if (isRpcErrorBody(error)) return fromErrorBody(error);
  if (isUnexpectedServerError(error)) return new RpcException(RpcErrorCode.Internal, 'the service answered with an unexpected error', 'unexpected_reply');
  // No responder (EmptyResponseException), a lost connection (an Error, or a string from ClientNats).
  return new RpcException(RpcErrorCode.Unavailable, 'the service is not available', 'unreachable');
}

/** An `other_tenant` without a readable owner cannot be told apart from `not_found`, so it is one. */
function fromErrorBody({ code, message, tenantId }: { code: string; message: string; tenantId?: unknown }): RpcException {
  if (code !== RpcErrorCode.OtherTenant) return new RpcException(code as RpcErrorCode, message);
  if (typeof tenantId !== 'string' || tenantId.length === 0) return new RpcException(RpcErrorCode.NotFound, message);
  return new RpcException(RpcErrorCode.OtherTenant, message, undefined, tenantId);
}

function isRpcErrorBody(error: unknown): error is { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && RPC_ERROR_CODES.has(code) && typeof message === 'string';
}

function isUnexpectedServerError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && !(error instanceof Error) && (error as { status?: unknown }).status === 'error';
}
