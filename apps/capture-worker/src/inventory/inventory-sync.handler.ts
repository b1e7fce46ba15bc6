import { Injectable } from '@nestjs/common';
import { RunType, type EmptyTarget, type InventorySyncScope, type RunCommand } from '@policyvault/contracts';
import { RunListings, getPolicyTypeContract, listPolicyTypes } from '@policyvault/graph';
import { CommandHandler, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { JobRunner, forEachLimited } from '@policyvault/worker-runtime';
import { typeItemKey } from '../capture/report-capture.js';
import { InventoryService } from './inventory.service.js';

/** Listings in flight per run (each follows its pages; the tenant's pacer sets the rate). */
const TYPES_IN_FLIGHT = 8;

/**
 * The tenant's policies of the selected types (or every supported type, foundations included) into
 * the inventory. One run item per type: `synced` with counts, or skipped when the type is unknown.
 */
@Injectable()
@CommandHandler(RunType.InventorySync)
export class InventorySyncHandler implements RunCommandHandler {
  constructor(
    private readonly jobs: JobRunner,
    private readonly inventory: InventoryService,
  ) {}

  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    return this.jobs.run<EmptyTarget, InventorySyncScope>(command, context, async (job) => {
      const { client, progress } = job;
      const types = [...new Set(job.scope.policyTypes ?? listPolicyTypes({ includeFoundations: true }))];
      await progress.started(types.length);
      // The run's listings: a collection several types list is listed once, and every type's first page is read
      // together (`$batch`) as the run starts.
      const listings = new RunListings(client);
      listings.prefetch(types);
      // A cancel stops between types (RunCanceled → the job runner ends the run canceled).
      await forEachLimited(
        types,
        TYPES_IN_FLIGHT,
        async (policyType) => {
          const sync = await this.inventory.syncType(client, command.tenantId, policyType, job.retryDelayMs, { listings });
          const lookup = getPolicyTypeContract(sync.policyType);
          const label = lookup.supported ? lookup.contract.displayName : sync.policyType;
          const key = typeItemKey(sync.policyType);
          switch (sync.kind) {
            case 'synced':
              return progress.succeeded(key, label, 'synced', { policyType, found: sync.found, added: sync.added, missing: sync.missing });
            case 'unsupported':
              return progress.skipped(key, label, 'unsupported', sync.error);
            case 'forbidden':
              return progress.skipped(key, label, 'missing_permissions', sync.error);
            case 'failed':
              return progress.failed(key, label, sync.error);
          }
        },
        job.checkpoint,
      );
      await progress.finish({ policyTypes: types.length });
    });
  }
}
