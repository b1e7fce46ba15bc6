import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A policy seen in a tenant's Graph (the inventory). Unique per (tenant, type, Graph id). */
@Entity({ name: 'policies' })
export class PolicyEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'policy_type' })
  policyType: string;

  @Column('text', { name: 'graph_id' })
  graphId: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;

  /** Set by an inventory sync (or a capture answered 404) that no longer found the object in Graph. */
  @Column('timestamptz', { name: 'missing_since', nullable: true })
  missingSince: Date | null;

  @Column('uuid', { name: 'latest_version_id', nullable: true })
  latestVersionId: string | null;
}
