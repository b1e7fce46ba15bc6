import { RpcErrorCode } from '@policyvault/contracts';

/** A domain error whose code the RPC filter sends back to the caller (the gateway maps it to HTTP). */
export class RestoreRpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RestoreRpcError';
  }

  static validation(problems: string[]): RestoreRpcError {
    return new RestoreRpcError(RpcErrorCode.ValidationFailed, problems.join('; '));
  }

  /** Also the answer for another tenant's preview: the caller cannot tell them apart. */
  static notFound(what: string): RestoreRpcError {
    return new RestoreRpcError(RpcErrorCode.NotFound, `${what} not found`);
  }
}
