import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { tap, type Observable } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { CommonConfig } from '../config/common.config.js';
import { RpcException } from '../messaging/rpc.exception.js';
import { rpcServerDuration, rpcServerRequests } from './platform.metrics.js';

/**
 * Counts and times the RPC requests a service answers (every @MessagePattern handler, validation pipes
 * included), by pattern (the subject without the namespace) and outcome: `ok`, the RpcException's code, or
 * `internal_error` for anything else (what RpcErrorReplyFilter answers for it). HTTP is counted by
 * httpMetricsMiddleware instead, which also sees what guards refuse.
 */
@Injectable()
export class RpcMetricsInterceptor implements NestInterceptor {
  private readonly prefix: string;

  constructor(config: CommonConfig) {
    this.prefix = `${config.NATS_NAMESPACE}.`;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const subject = context.switchToRpc().getContext<NatsContext>().getSubject();
    const pattern = subject.startsWith(this.prefix) ? subject.slice(this.prefix.length) : subject;
    const done = rpcServerDuration.startTimer();
    const record = (outcome: string) => {
      done({ pattern });
      rpcServerRequests.inc({ pattern, outcome });
    };
    return next.handle().pipe(
      tap({
        complete: () => record('ok'),
        error: (error: unknown) => record(error instanceof RpcException ? error.code : RpcErrorCode.Internal),
      }),
    );
  }
}
