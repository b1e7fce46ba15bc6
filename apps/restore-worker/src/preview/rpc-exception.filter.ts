import { Catch, Inject, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { RpcErrorCode, type RpcErrorBody } from '@policyvault/contracts';
import { LOGGER } from '@policyvault/platform';
import { RestoreRpcError } from './restore-rpc.error.js';

/** Every RestoreRpc failure leaves as `{ code, message }`; unexpected errors never leak their text. */
@Catch()
export class RestoreRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown): Observable<RpcErrorBody> {
    if (exception instanceof RestoreRpcError) return throwError(() => ({ code: exception.code, message: exception.message }));
    this.logger.error({ err: { name: (exception as Error)?.name, message: (exception as Error)?.message } }, 'restore preview query failed');
    return throwError(() => ({ code: RpcErrorCode.Internal, message: 'restore-worker could not complete the request' }));
  }
}
