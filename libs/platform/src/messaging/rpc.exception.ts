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
  ) {
    super(message);
    this.name = 'RpcException';
  }

  static validation(problems: string[]): RpcException {
    return new RpcException(RpcErrorCode.ValidationFailed, problems.join('; '));
  }

  /** Also the answer for another tenant's object: the caller cannot tell them apart. */
  static notFound(what: string): RpcException {
    return new RpcException(RpcErrorCode.NotFound, `${what} not found`);
  }

  /** What travels back over NATS: the code and the safe message, never a stack. */
  toReply(): RpcErrorBody {
    return { code: this.code, message: this.message };
  }
}
