import { Injectable } from '@nestjs/common';
import { SafeErrorCode } from '@policyvault/contracts';
import { CREATED_ID, GraphError, ReadOnlyViolationError, type GraphClient, type PlannedRequest } from '@policyvault/graph';
import type { RestorePlan } from '../planning/restore-plan.js';
import { SecretValues } from '../planning/secret-values.js';

type GraphObject = Record<string, unknown>;

/** One request that reached Graph (ids only in its path, never a body). */
export interface SentRequest {
  method: PlannedRequest['method'];
  path: string;
  purpose: PlannedRequest['purpose'];
  status: number;
}

/** What reached Graph for one item, also when a later request of the same item failed. */
export interface WrittenFacts {
  /** Id of the object created in place of one that was gone. */
  newId?: string;
  objectWritten: boolean;
  /** Direct assignments the object now has (set once its assignment requests went through). */
  assignmentsRestored?: number;
  writes: number;
  sent: SentRequest[];
}

/** A write of the item failed; `written` says what had reached Graph before (e.g. the create). */
export class ItemWriteFailure extends Error {
  constructor(
    readonly error: GraphError,
    readonly written: WrittenFacts,
  ) {
    super('a restore write failed');
    this.name = 'ItemWriteFailure';
  }
}

const ASSIGNMENT_PURPOSES: ReadonlySet<PlannedRequest['purpose']> = new Set(['assign', 'unassign']);

/**
 * Carries out one item's plan: its requests in order (the type's create or update sequence, then
 * assignments), the new object's id put in place of `{createdId}` once the create answered. Writes are
 * sequential within an item; the tenant's pacer spaces them across items and honours Retry-After.
 */
@Injectable()
export class RestoreItemWriter {
  constructor(private readonly secrets: SecretValues) {}

  async write(client: GraphClient, plan: RestorePlan): Promise<WrittenFacts> {
    if (!plan.contract) throw new Error('an unsupported item has nothing to write');
    const facts: WrittenFacts = { objectWritten: false, writes: 0, sent: [] };
    let createdId: string | undefined;
    let assignmentsWritten = false;
    try {
      for (const planned of plan.requests) {
        const path = createdId === undefined ? planned.path : planned.path.replaceAll(CREATED_ID, encodeURIComponent(createdId));
        if (path.includes(CREATED_ID)) throw new Error('a planned request refers to an object no request of its item creates');
        // Secret values are decrypted into the body only now, as it is sent.
        const body = planned.body ? this.secrets.reveal({ body: planned.body }).body : undefined;
        const response = await client.request<GraphObject>({ method: planned.method, path, ...(body ? { body } : {}) });
        facts.writes += 1;
        facts.sent.push({ method: planned.method, path, purpose: planned.purpose, status: response.status });
        if (ASSIGNMENT_PURPOSES.has(planned.purpose)) {
          assignmentsWritten = true;
          continue;
        }
        facts.objectWritten = true;
        if (planned.purpose === 'create') {
          if (typeof response.body?.id !== 'string') throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse, httpStatus: response.status });
          createdId = response.body.id;
          facts.newId = createdId;
        }
      }
      if (assignmentsWritten && plan.assignments) facts.assignmentsRestored = plan.assignments.mapped.length;
      return facts;
    } catch (error) {
      // A read-only client refusing is not this item's failure: it ends the run (JobRunner).
      if (error instanceof GraphError && !(error instanceof ReadOnlyViolationError)) throw new ItemWriteFailure(error, facts);
      throw error;
    }
  }
}
