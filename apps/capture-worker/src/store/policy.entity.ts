import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { PolicyVersionEntity } from './policy-version.entity.js';

/** A policy seen in a tenant's Graph (the inventory). Unique per (tenant, type, Graph id). */
@Entity({ name: 'policies' })
@Unique('policies_graph_object', ['tenantId', 'policyType', 'graphId'])
@Index('policies_listing', ['tenantId', 'displayName', 'id'])
// The latest version is one of this policy's (deferred: a capture inserts the version and points the policy at it in
// one statement). Retention finds the policy by its key; no index on latest_version_id, so that this update is HOT.
@ForeignKey(() => PolicyVersionEntity, ['id', 'latestVersionId'], ['policyId', 'id'], { name: 'policies_latest_version', deferrable: 'INITIALLY DEFERRED' })
export class PolicyEntity {
  @PrimaryGeneratedColumn('uuid')
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

  /** Incremental capture: sha256 of the list entry the last complete read started from (null: never read from a listing). */
  @Column('text', { name: 'list_entry_hash', nullable: true })
  listEntryHash: string | null;

  /** The version that complete read stored (reused only while it is still the latest). */
  @Column('uuid', { name: 'list_entry_version_id', nullable: true })
  listEntryVersionId: string | null;

  @Column('timestamptz', { name: 'full_read_at', nullable: true })
  fullReadAt: Date | null;

  /** Runs that reused the version since that complete read (a full read every CAPTURE_FULL_READ_EVERY_RUNS). */
  @Column('integer', { name: 'reused_since_full_read', default: 0 })
  reusedSinceFullRead: number;
}
