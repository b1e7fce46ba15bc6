import { Catch, Inject, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { RpcErrorCode, type RpcErrorBody } from '@policyvault/contracts';
import { isDatabaseUnavailableError } from '../database/database-unavailable.js';
import { LOGGER } from '../platform.module.js';
import { SERVICE_NAME } from '../service-name.js';
import { RpcException } from './rpc.exception.js';

/**
 * Every RPC failure leaves as `{ code, message }`. An RpcException keeps its code and safe message;
 * a lost or refused database connection is `unavailable` (the caller may retry: the gateway answers
 * 503); anything else is logged (name and message, no stack) and answered `internal_error` without its text.
 */
@Catch()
export class RpcErrorReplyFilter implements RpcExceptionFilter<unknown> {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  catch(exception: unknown): Observable<RpcErrorBody> {
    if (exception instanceof RpcException) return throwError(() => exception.toReply());
    const error = exception as Error | undefined;
    if (isDatabaseUnavailableError(exception)) {
      this.logger.warn({ err: { name: error?.name, message: error?.message } }, 'rpc request failed: database unavailable');
      return throwError(() => ({ code: RpcErrorCode.Unavailable, message: `${this.service} cannot reach its database; try again` }));
    }
    this.logger.error({ err: { name: error?.name, message: error?.message } }, 'rpc request failed');
    return throwError(() => ({ code: RpcErrorCode.Internal, message: `${this.service} could not complete the request` }));
  }
}
