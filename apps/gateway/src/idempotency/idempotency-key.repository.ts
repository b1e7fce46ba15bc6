import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, LessThan, type DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';

/** How long a key's answer is kept (and replayed). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Who sent which request under which key. */
export interface IdempotencyRequest {
  userId: string;
  scope: string;
  key: string;
  requestHash: string;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
  location: string | null;
}

/**
 * What a request with a key may do: run (with the claim's id as the anchor to pass down), replay the
 * stored answer, or nothing: another body was sent with the key, or a request with it is still running.
 */
export type IdempotencyClaim =
  | { kind: 'run'; id: string }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'different_body' }
  | { kind: 'in_progress' };

/** gateway.idempotency_keys: claims on keys, their answers, their expiry. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims the key for this request, in one transaction holding the row's lock: a first request inserts
   * its claim; a later one replays the answer, or is told the key is busy or bound to another body. A
   * claim left without an answer (its request failed or its gateway died) is taken over once its lease
   * has passed, keeping its id, so run-service answers the run that request may have started.
   */
  claim(request: IdempotencyRequest, leaseMs: number): Promise<IdempotencyClaim> {
    return this.dataSource.transaction(async (manager) => {
      const now = Date.now();
      const fresh = {
        requestHash: request.requestHash,
        responseStatus: null,
        responseBody: () => 'NULL',
        responseLocation: null,
        lockedUntil: new Date(now + leaseMs),
        createdAt: new Date(now),
        expiresAt: new Date(now + IDEMPOTENCY_KEY_TTL_MS),
      };
      const id = randomUUID();
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(IdempotencyKeyEntity)
        .values({ id, userId: request.userId, scope: request.scope, key: request.key, ...fresh })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length > 0) return { kind: 'run', id };

      const existing = await manager
        .createQueryBuilder(IdempotencyKeyEntity, 'claim')
        .setLock('pessimistic_write')
        .where({ userId: request.userId, scope: request.scope, key: request.key })
        .getOneOrFail();
      if (existing.expiresAt.getTime() <= now) {
        // Expired but not purged yet: a new claim (and a new anchor: the old request is forgotten).
        await manager.update(IdempotencyKeyEntity, { id: existing.id }, { id, ...fresh });
        return { kind: 'run', id };
      }
      if (existing.requestHash !== request.requestHash) return { kind: 'different_body' };
      if (existing.responseStatus !== null) {
        return { kind: 'replay', answer: { status: existing.responseStatus, body: existing.responseBody, location: existing.responseLocation } };
      }
      if (existing.lockedUntil && existing.lockedUntil.getTime() > now) return { kind: 'in_progress' };
      await manager.update(IdempotencyKeyEntity, { id: existing.id }, { lockedUntil: fresh.lockedUntil });
      return { kind: 'run', id: existing.id };
    });
  }

  /** The answer to replay from now on. */
  async answer(id: string, answer: StoredAnswer): Promise<void> {
    // jsonb columns hold `unknown` values, which TypeORM's deep-partial type rejects.
    const values = { responseStatus: answer.status, responseBody: answer.body ?? null, responseLocation: answer.location, lockedUntil: null };
    await this.dataSource.manager.update(IdempotencyKeyEntity, { id }, values as QueryDeepPartialEntity<IdempotencyKeyEntity>);
  }

  /** The request failed without an answer worth keeping, and may have started something: a retry runs again under the same anchor. */
  async release(id: string): Promise<void> {
    await this.dataSource.manager.update(IdempotencyKeyEntity, { id }, { lockedUntil: null });
  }

  /** The request was refused (4xx) and made nothing: the key is free again, for any body. */
  async forget(id: string): Promise<void> {
    await this.dataSource.manager.delete(IdempotencyKeyEntity, { id, responseStatus: IsNull() });
  }

  /** Deletes expired claims; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.dataSource.manager.delete(IdempotencyKeyEntity, { expiresAt: LessThan(new Date()) });
    return result.affected ?? 0;
  }
}
