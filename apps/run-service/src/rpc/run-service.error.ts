import { RpcErrorCode } from '@policyvault/contracts';

/** A domain error whose code the RPC filter sends back to the caller (the gateway maps it to HTTP). */
export class RunServiceError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RunServiceError';
  }

  static validation(problems: string[]): RunServiceError {
    return new RunServiceError(RpcErrorCode.ValidationFailed, problems.join('; '));
  }

  static notFound(what: string): RunServiceError {
    return new RunServiceError(RpcErrorCode.NotFound, `${what} not found`);
  }
}
