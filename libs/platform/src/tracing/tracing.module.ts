import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { reenterHttpSpan } from './http-tracing.middleware.js';
import { tracingActive } from './spans.js';
import { TracingShutdown } from './tracing-shutdown.js';

/** Every service's tracing in Nest (PlatformModule imports it): the HTTP span's context after body parsing, the flush at shutdown. */
@Module({ providers: [TracingShutdown] })
export class TracingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    if (tracingActive()) consumer.apply(reenterHttpSpan).forRoutes('*');
  }
}
