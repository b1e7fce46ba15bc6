import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, IsNull, type DataSource } from 'typeorm';
import { RECORD_EMPTY_LISTINGS, RECORD_LISTINGS } from '../database/capture.sql.js';
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

/** A type's complete listing to record (`recordListings`); `part`: the selection part it is recorded as, if any. */
export interface ListingToRecord {
  policyType: string;
  listed: ListedPolicy[];
  seenAt: Date;
  part?: string;
}

/** What recording a listing did: its policies in listing order, how many were new, how many went missing. */
export interface RecordedListing {
  policies: PolicyEntity[];
  added: number;
  missing: number;
  selectionRecorded: boolean;
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
  async recordListing(tenantId: string, policyType: string, listed: ListedPolicy[], seenAt: Date, selection?: ListingSelectionPart): Promise<RecordedListing> {
    const [recorded] = await this.recordListings(
      tenantId,
      [{ policyType, listed, seenAt, part: selection?.part }],
      selection && { runId: selection.runId, backupSetId: selection.backupSetId },
    );
    return recorded;
  }

  /**
   * `recordListing` for listings of distinct types, all in one statement: one result per listing, in order, each as
   * `recordListing` alone would give it. A listing with a `part` is recorded as that part of `run`'s selection.
   */
  async recordListings(tenantId: string, listings: ListingToRecord[], run?: Omit<ListingSelectionPart, 'part'>): Promise<RecordedListing[]> {
    if (listings.length === 0) return [];
    if (new Set(listings.map((listing) => listing.policyType)).size !== listings.length) throw new Error('recordListings takes one listing per policy type');
    const objects = listings.flatMap(({ listed }, index) => listed.map((policy) => ({ listing: index + 1, ...policy })));
    const rows = await RECORD_LISTINGS.rows(this.database, [
      tenantId,
      run?.runId ?? null,
      run?.backupSetId ?? null,
      listings.map((listing) => listing.policyType),
      listings.map((listing) => listing.seenAt),
      listings.map((listing) => (run ? (listing.part ?? null) : null)),
      objects.map((object) => object.listing),
      objects.map((object) => object.graphId),
      objects.map((object) => object.displayName.slice(0, 500)),
    ]);
    const results = listings.map(() => ({ byGraphId: new Map<string, PolicyEntity>(), added: 0, missing: 0, selectionRecorded: false }));
    for (const { listing, inserted, missing, recorded, ...policy } of rows) {
      const result = results[listing - 1];
      result.missing = missing;
      result.selectionRecorded = recorded;
      if (policy.id === null) continue;
      result.byGraphId.set(policy.graphId!, this.policies.create(policy as PolicyEntity));
      if (inserted) result.added += 1;
    }
    return listings.map(({ listed }, index) => {
      const { byGraphId, added, missing, selectionRecorded } = results[index];
      return {
        policies: listed.map((policy) => byGraphId.get(policy.graphId)).filter((policy): policy is PolicyEntity => policy !== undefined),
        added,
        missing,
        selectionRecorded,
      };
    });
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
