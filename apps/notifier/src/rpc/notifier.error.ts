import { RpcErrorCode } from '@policyvault/contracts';

/** A domain error whose code the RPC filter sends back to the caller (the gateway maps it to HTTP). */
export class NotifierError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NotifierError';
  }

  static validation(problems: string[]): NotifierError {
    return new NotifierError(RpcErrorCode.ValidationFailed, problems.join('; '));
  }

  static notFound(what: string): NotifierError {
    return new NotifierError(RpcErrorCode.NotFound, `${what} not found`);
  }
}
