import { GatewayErrorCode } from './gateway-error-code.js';

/** A failure the gateway expects; the message is safe to show to the caller. */
export class GatewayException extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    readonly detail: string | string[],
    /** Sent as Retry-After (seconds) with the error; codes that always have one say so in the filter. */
    readonly retryAfterSeconds?: number,
  ) {
    super(Array.isArray(detail) ? detail.join('; ') : detail);
    this.name = 'GatewayException';
  }

  static invalidRequest(problems: string | string[]): GatewayException {
    return new GatewayException(GatewayErrorCode.InvalidRequest, problems);
  }
}
