import { RpcErrorCode, type RpcErrorBody } from '@policyvault/contracts';

/**
 * Why a request got no answer from the service itself: `timeout` (nobody answered in time),
 * `unreachable` (no responder, lost connection) or `unexpected_reply` (an answer that is not ours).
 */
export type RpcFailure = 'timeout' | 'unreachable' | 'unexpected_reply';

/**
 * The one RPC error: a code from RpcErrorCode and a message safe to send to the caller. Services
 * throw it from their RPC handlers (the RpcErrorReplyFilter sends it as `{ code, message }`), and
 * the NatsRequestClient throws it for every failed request.
 */
export class RpcException extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    /** Set by the request client when the service did not answer itself; undefined when it did. */
    readonly failure?: RpcFailure,
    /** With `other_tenant`: the tenant that holds the id (travels in the reply, never further than the caller). */
    readonly ownerTenantId?: string,
  ) {
    super(message);
    this.name = 'RpcException';
  }

  static validation(problems: string[]): RpcException {
    return new RpcException(RpcErrorCode.ValidationFailed, problems.join('; '));
  }

  /** Nothing with this id where the request looked (see `notFoundOrOtherTenant` for ids another tenant may hold). */
  static notFound(what: string): RpcException {
    return new RpcException(RpcErrorCode.NotFound, `${what} not found`);
  }

  /**
   * The answer for an id a tenant-scoped query did not find, given which tenant holds it (`owningTenant`):
   * `other_tenant` naming that tenant when it is not the one asked about (`requestedTenantId`; a request that
   * names none, like a user's notification, always learns the owner), else `not_found`. The caller decides
   * what that means for its own caller; the services never do.
   */
  static notFoundOrOtherTenant(what: string, ownerTenantId: string | null, requestedTenantId?: string): RpcException {
    if (ownerTenantId === null || ownerTenantId.toLowerCase() === requestedTenantId?.toLowerCase()) return RpcException.notFound(what);
    return new RpcException(RpcErrorCode.OtherTenant, `${what} not found`, undefined, ownerTenantId);
  }

  /** What travels back over NATS: the code, the safe message (and the owning tenant of `other_tenant`), never a stack. */
  toReply(): RpcErrorBody {
    return this.ownerTenantId === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, tenantId: this.ownerTenantId };
  }
}
