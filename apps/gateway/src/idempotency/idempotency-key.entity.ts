import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A claim on an Idempotency-Key: one per user, route (with its path ids) and key. In progress while
 * `responseStatus` is null (`lockedUntil` says until when the claiming request is taken to be alive);
 * answered once it is set. Its id is the anchor run-service records the run or schedule under.
 * Mirrors migration 1769400000000.
 */
@Entity({ name: 'idempotency_keys' })
@Unique('idempotency_keys_user_scope_key', ['userId', 'scope', 'key'])
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  /** `POST /api/tenants/<tenantId>/runs`: the route with its path ids, so a key is per route and tenant. */
  @Column('text')
  scope: string;

  @Column('varchar', { length: 255 })
  key: string;

  /** SHA-256 of the body (keys sorted): the same key with another body is a 422. */
  @Column('text', { name: 'request_hash' })
  requestHash: string;

  @Column('integer', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  @Column('jsonb', { name: 'response_body', nullable: true })
  responseBody: unknown;

  @Column('text', { name: 'response_location', nullable: true })
  responseLocation: string | null;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
