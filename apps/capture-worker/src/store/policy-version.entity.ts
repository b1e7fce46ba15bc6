import { Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { PolicyEntity } from './policy.entity.js';

/**
 * An immutable snapshot of one policy (a trigger refuses updates); identical content (same hash) is
 * stored once per policy, whichever run or replica captures it.
 */
@Entity({ name: 'policy_versions' })
@Unique('policy_versions_content', ['policyId', 'contentHash'])
// What a policy's latest version and a backup item refer to: a version of that policy.
@Unique('policy_versions_of_policy', ['policyId', 'id'])
// The migration orders captured_at and id descending: newest first.
@Index('policy_versions_listing', ['policyId', 'capturedAt', 'id'])
export class PolicyVersionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'policy_id' })
  @ForeignKey(() => PolicyEntity, { name: 'policy_versions_policy_id_fkey' })
  policyId: string;

  /** sha256 of the canonical snapshot without volatile fields (see content-hash.ts). */
  @Column('text', { name: 'content_hash' })
  contentHash: string;

  @Column('jsonb')
  snapshot: Record<string, unknown>;

  @Column('integer', { name: 'size_bytes' })
  sizeBytes: number;

  @Column('timestamptz', { name: 'captured_at' })
  capturedAt: Date;

  @Column('uuid', { name: 'captured_by_run_id' })
  capturedByRunId: string;
}
