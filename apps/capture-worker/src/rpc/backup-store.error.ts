import { RpcErrorCode } from '@policyvault/contracts';

/** A domain error whose code the RPC filter sends back to the caller (the gateway maps it to HTTP). */
export class BackupStoreError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupStoreError';
  }

  static validation(problems: string[]): BackupStoreError {
    return new BackupStoreError(RpcErrorCode.ValidationFailed, problems.join('; '));
  }

  /** Also the answer for an object of another tenant: the caller cannot tell them apart. */
  static notFound(what: string): BackupStoreError {
    return new BackupStoreError(RpcErrorCode.NotFound, `${what} not found`);
  }
}
