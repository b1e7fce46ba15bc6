import { Injectable } from '@nestjs/common';
import { InventorySyncScope, RunType, type RunCommand } from '@policyvault/contracts';
import { getPolicyTypeContract, listPolicyTypes } from '@policyvault/graph';
import { CommandHandler, Outcome, validateMessage, type CommandContext, type HandlerOutcome, type RunCommandHandler } from '@policyvault/platform';
import { forEachLimited } from '../capture/for-each-limited.js';
import { JobRunner } from '../capture/job-runner.js';
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

  async handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
    const scope = validateMessage(InventorySyncScope, command.scope);
    if (!scope.ok) return Outcome.reject(`invalid scope: ${scope.problems.join('; ')}`);
    const types = [...new Set(scope.value.policyTypes ?? listPolicyTypes({ includeFoundations: true }))];
    return this.jobs.run(command, context, async ({ client, progress, checkpoint }) => {
      await progress.started(types.length);
      // A cancel stops between types (RunCanceled → the job runner ends the run canceled).
      await forEachLimited(types, TYPES_IN_FLIGHT, async (policyType) => {
        await checkpoint();
        const sync = await this.inventory.syncType(client, command.tenantId, policyType, context.deliveryCount);
        const lookup = getPolicyTypeContract(sync.policyType);
        const label = lookup.supported ? lookup.contract.displayName : sync.policyType;
        const key = typeItemKey(sync.policyType);
        switch (sync.kind) {
          case 'synced':
            return progress.succeeded(key, label, 'synced', { policyType, found: sync.found, added: sync.added, missing: sync.missing });
          case 'unsupported':
            return progress.skipped(key, label, 'unsupported', sync.error);
          case 'failed':
            return progress.failed(key, label, sync.error);
        }
      });
      await progress.finish({ policyTypes: types.length });
    });
  }
}
