import { Module } from '@nestjs/common';
import { TracingShutdown } from './tracing-shutdown.js';

/** Every service's tracing in Nest (PlatformModule imports it): the flush at shutdown (the HTTP span is runService's). */
@Module({ providers: [TracingShutdown] })
export class TracingModule {}
