import { Injectable } from '@nestjs/common';
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, ReadOnlyViolationError, type GraphClient, type PolicyTypeContract } from '@policyvault/graph';
import { withoutServerManaged } from '../planning/comparable-object.js';
import { assignmentRequests, type RestorePlan } from '../planning/restore-plan.js';
import { SecretValues } from '../planning/secret-values.js';

type GraphObject = Record<string, unknown>;

/** What reached Graph for one item, also when a later request of the same item failed. */
export interface WrittenFacts {
  /** Id of the object created in place of one that was gone. */
  newId?: string;
  objectWritten: boolean;
  /** Assignments written (the whole mapped set). */
  assignmentsRestored?: number;
  writes: number;
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

/**
 * Carries out one item's plan: the object (POST to its collection, or PATCH/PUT as the registry says),
 * then relations written separately (definition values of a re-created template), then assignments
 * (when the restore includes them and they can be mapped). Writes are sequential within an item;
 * the tenant's pacer spaces them across items and honours Retry-After.
 */
@Injectable()
export class RestoreItemWriter {
  constructor(private readonly secrets: SecretValues) {}

  async write(client: GraphClient, plan: RestorePlan): Promise<WrittenFacts> {
    const contract = plan.contract;
    if (!contract) throw new Error('an unsupported item has nothing to write');
    const facts: WrittenFacts = { objectWritten: false, writes: 0 };
    try {
      let objectId = plan.liveId;
      // Secret values are decrypted into the request only now, as it is sent.
      const objectRequest = plan.objectRequest && this.secrets.reveal(plan.objectRequest);
      if (plan.action === 'create' && objectRequest) {
        const response = await client.request<GraphObject>(objectRequest);
        facts.writes += 1;
        if (typeof response.body?.id !== 'string') throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse, httpStatus: response.status });
        objectId = response.body.id;
        facts.newId = objectId;
        facts.objectWritten = true;
        for (const request of separateRelationRequests(contract, objectId, plan.candidate.snapshot)) {
          await client.request(request);
          facts.writes += 1;
        }
      } else if (objectRequest) {
        await client.request(objectRequest);
        facts.writes += 1;
        facts.objectWritten = true;
      }
      const assignments = plan.assignments;
      if (objectId && assignments && assignments.changed && !assignments.blocked) {
        for (const request of assignmentRequests(contract, objectId, assignments.mapped)) {
          await client.request(request);
          facts.writes += 1;
        }
        facts.assignmentsRestored = assignments.mapped.length;
      }
      return facts;
    } catch (error) {
      // A read-only client refusing is not this item's failure: it ends the run (JobRunner).
      if (error instanceof GraphError && !(error instanceof ReadOnlyViolationError)) throw new ItemWriteFailure(error, facts);
      throw error;
    }
  }
}

/**
 * A re-created object's relations that Graph takes through their own endpoint (administrative
 * template definition values): each posted once, server-managed keys removed, the definition bound
 * by reference as Graph expects.
 */
function separateRelationRequests(contract: PolicyTypeContract, objectId: string, snapshot: GraphObject) {
  const base = `/${contract.apiVersion}${contract.collectionPath}/${encodeURIComponent(objectId)}`;
  return contract.subResources
    .filter((sub) => sub.write === 'separate' && sub.name !== 'assignments')
    .flatMap((sub) =>
      (Array.isArray(snapshot[sub.name]) ? (snapshot[sub.name] as unknown[]) : []).map((entry) => {
        const definitionId = ((entry as GraphObject)?.definition as GraphObject | undefined)?.id;
        const body = withoutServerManaged(entry) as GraphObject;
        if (typeof definitionId === 'string') {
          delete body.definition;
          body['definition@odata.bind'] = `https://graph.microsoft.com/${contract.apiVersion}/deviceManagement/groupPolicyDefinitions('${definitionId}')`;
        }
        return { method: 'POST' as const, path: `${base}/${sub.segment}`, body };
      }),
    );
}
