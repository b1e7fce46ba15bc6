import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyKeyRepository } from './idempotency-key.repository.js';

const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Deletes expired Idempotency-Key claims (older than 24 h) at boot and every 10 minutes. Every replica
 * does it; deleting what another replica deleted already deletes nothing. An expired claim that is not
 * purged yet is not replayed either (IdempotencyKeyRepository.claim starts it over).
 */
@Injectable()
export class IdempotencyKeyPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;

  constructor(private readonly keys: IdempotencyKeyRepository) {}

  onApplicationBootstrap(): void {
    void this.purge();
    this.timer = setInterval(() => void this.purge(), PURGE_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      const deleted = await this.keys.purgeExpired();
      if (deleted > 0) this.logger.log({ deleted }, 'expired idempotency keys purged');
    } catch (error) {
      this.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'could not purge expired idempotency keys');
    }
  }
}
