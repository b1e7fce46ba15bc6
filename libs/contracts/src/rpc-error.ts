/** Error codes a NATS reply may carry; each transport maps them (the gateway to HTTP statuses). */
export enum RpcErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  Forbidden = 'forbidden',
  Conflict = 'conflict',
  Unavailable = 'unavailable',
  Internal = 'internal_error',
}

export interface RpcErrorBody {
  code: RpcErrorCode;
  message: string;
}
