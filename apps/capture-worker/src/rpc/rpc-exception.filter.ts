import { Catch, Inject, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { RpcErrorCode, type RpcErrorBody } from '@policyvault/contracts';
import { LOGGER } from '@policyvault/platform';
import { BackupStoreError } from './backup-store.error.js';

/** Every BackupStoreRpc failure leaves as `{ code, message }`; unexpected errors never leak their text. */
@Catch()
export class BackupStoreRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown): Observable<RpcErrorBody> {
    if (exception instanceof BackupStoreError) {
      return throwError(() => ({ code: exception.code, message: exception.message }));
    }
    this.logger.error({ err: { name: (exception as Error)?.name, message: (exception as Error)?.message } }, 'backup store query failed');
    return throwError(() => ({ code: RpcErrorCode.Internal, message: 'capture-worker could not complete the request' }));
  }
}
