import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An immutable snapshot of one policy; identical content (same hash) is stored once per policy. */
@Entity({ name: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'policy_id' })
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
