import { GatewayErrorCode } from './gateway-error-code.js';
import { GatewayException } from './gateway.exception.js';

/**
 * An id the request's tenant does not hold, held by other tenants (`ownerTenantIds`; none when the
 * owner is unknown). OtherTenantInterceptor turns it into 403 or 404 for the caller; anywhere else it
 * is the 404 it extends. The owners never reach a response or a log line.
 */
export class OtherTenantException extends GatewayException {
  constructor(
    readonly ownerTenantIds: readonly string[],
    notFound: string,
  ) {
    super(GatewayErrorCode.NotFound, notFound);
    this.name = 'OtherTenantException';
  }
}
