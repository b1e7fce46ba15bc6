import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { RpcErrorCode, type RpcErrorBody } from '@policyvault/contracts';
import { NotifierError } from './notifier.error.js';

/** Every RPC failure leaves as `{ code, message }`; unexpected errors never leak their text. */
@Catch()
export class NotifierRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('rpc');

  catch(exception: unknown): Observable<RpcErrorBody> {
    if (exception instanceof NotifierError) {
      return throwError(() => ({ code: exception.code, message: exception.message }));
    }
    this.logger.error(exception instanceof Error ? exception : String(exception));
    return throwError(() => ({ code: RpcErrorCode.Internal, message: 'notifier could not complete the request' }));
  }
}
