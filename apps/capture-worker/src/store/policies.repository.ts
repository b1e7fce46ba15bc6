import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, IsNull, type DataSource } from 'typeorm';
import { RECORD_EMPTY_LISTINGS, RECORD_LISTING } from '../database/capture.sql.js';
import { PolicyEntity } from './policy.entity.js';

export interface ListedPolicy {
  graphId: string;
  displayName: string;
}

/** The part of a backup run's selection a listing is recorded as (BackupSetSelectionEntity). */
export interface ListingSelectionPart {
  runId: string;
  backupSetId: string;
  part: string;
}

/** The inventory, for the jobs. Every method takes the tenant first: no query can forget it. */
@Injectable()
export class PoliciesRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  private get policies() {
    return this.database.getRepository(PolicyEntity);
  }

  /**
   * Records what a complete listing of one type found, in one statement: new objects are added, known ones
   * marked seen (and no longer missing), those the listing no longer has marked missing; with `selection`, the
   * listing is also recorded as that part of a backup run's selection (`selectionRecorded` false: a delivery of
   * the run recorded the part first, and that one is the selection). Returns the policies in the listing's order
   * (a repeated Graph id once per time listed), how many were new and how many went missing.
   */
  async recordListing(
    tenantId: string,
    policyType: string,
    listed: ListedPolicy[],
    seenAt: Date,
    selection?: ListingSelectionPart,
  ): Promise<{ policies: PolicyEntity[]; added: number; missing: number; selectionRecorded: boolean }> {
    const rows = await RECORD_LISTING.rows(this.database, [
      tenantId,
      policyType,
      listed.map((policy) => policy.graphId),
      listed.map((policy) => policy.displayName.slice(0, 500)),
      seenAt,
      selection?.runId ?? null,
      selection?.part ?? null,
      selection?.backupSetId ?? null,
    ]);
    const byGraphId = new Map<string, PolicyEntity>();
    let added = 0;
    for (const { inserted, missing: _missing, recorded: _recorded, ...policy } of rows) {
      if (policy.id === null) continue;
      byGraphId.set(policy.graphId!, this.policies.create(policy as PolicyEntity));
      if (inserted) added += 1;
    }
    return {
      policies: listed.map((policy) => byGraphId.get(policy.graphId)).filter((policy): policy is PolicyEntity => policy !== undefined),
      added,
      missing: rows[0].missing,
      selectionRecorded: rows[0].recorded,
    };
  }

  /**
   * Records listings of several types that found nothing, in one statement: the policies of those types marked
   * missing (unless a listing that began later saw them), and each listing as its part of the run's selection, with
   * no policies. Returns the parts it recorded; a part missing from the answer was recorded first by another delivery
   * of the run, and that one is the selection.
   */
  async recordEmptyListings(tenantId: string, runId: string, backupSetId: string, listings: Array<{ policyType: string; part: string; seenAt: Date }>): Promise<Set<string>> {
    if (listings.length === 0) return new Set();
    const rows = await RECORD_EMPTY_LISTINGS.rows(this.database, [
      tenantId,
      runId,
      backupSetId,
      listings.map((listing) => listing.policyType),
      listings.map((listing) => listing.part),
      listings.map((listing) => listing.seenAt),
    ]);
    return new Set(rows.map((row) => row.part));
  }

  async markMissing(tenantId: string, policyId: string, at: Date): Promise<void> {
    await this.policies.update({ tenantId, id: policyId, missingSince: IsNull() }, { missingSince: at });
  }

  async find(tenantId: string, policyId: string): Promise<PolicyEntity | undefined> {
    return (await this.policies.findOneBy({ tenantId, id: policyId })) ?? undefined;
  }

  async findByIds(tenantId: string, policyIds: string[]): Promise<PolicyEntity[]> {
    if (policyIds.length === 0) return [];
    return this.policies.findBy({ tenantId, id: In(policyIds) });
  }
}
