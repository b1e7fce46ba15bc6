/** Error codes a NATS reply may carry; each transport maps them (the gateway to HTTP statuses). */
export enum RpcErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  /**
   * Not in the tenant asked about, but held by another tenant (`tenantId` in the reply): the caller
   * decides what its own caller may learn (the gateway: 403 or 404). Never copied into an HTTP body.
   */
  OtherTenant = 'other_tenant',
  Forbidden = 'forbidden',
  Conflict = 'conflict',
  Unavailable = 'unavailable',
  Internal = 'internal_error',
}

export interface RpcErrorBody {
  code: RpcErrorCode;
  message: string;
  /** With `other_tenant` only: the tenant that holds the id. */
  tenantId?: string;
}
