import { Module } from '@nestjs/common';
import { IdempotencyKeyPurge } from './idempotency-key.purge.js';
import { IdempotencyKeyRepository } from './idempotency-key.repository.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/** Idempotency-Key on creating routes: modules whose controllers use `@Idempotent()` import this. */
@Module({
  providers: [IdempotencyKeyRepository, IdempotencyInterceptor, IdempotencyKeyPurge],
  exports: [IdempotencyKeyRepository, IdempotencyInterceptor],
})
export class IdempotencyModule {}
