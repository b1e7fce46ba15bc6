import { Injectable } from '@nestjs/common';
import { RpcErrorCode, RunStatus, RunType, type StartRunRequest } from '@policyvault/contracts';
import { RunServiceConfig } from '../run-service.config.js';
import { RunServiceError } from '../rpc/run-service.error.js';
import type { PreparedStart } from './start-run.service.js';
import { RunRepository } from './run.repository.js';

/**
 * A live restore writes to a customer's tenant, so it starts only with an explicit confirmation:
 * a succeeded preview of the same backup set and the same scope, no older than
 * RESTORE_PREVIEW_MAX_AGE_MS — or the tenant's name typed back (checked by the gateway).
 */
@Injectable()
export class RestoreConfirmationCheck {
  constructor(
    private readonly runs: RunRepository,
    private readonly config: RunServiceConfig,
  ) {}

  async check(request: StartRunRequest, prepared: PreparedStart): Promise<void> {
    const confirmation = request.confirmation;
    if (confirmation?.tenantNameConfirmed === true) return;
    if (!confirmation?.previewRunId) {
      throw RunServiceError.validation([
        'confirmation: a live restore needs confirmation.previewRunId (a succeeded preview of the same scope) or the tenant name typed back',
      ]);
    }
    const preview = await this.runs.find(request.tenantId, confirmation.previewRunId);
    const refuse = (reason: string) => new RunServiceError(RpcErrorCode.Conflict, `confirmation.previewRunId: ${reason}`);
    if (!preview || preview.type !== RunType.RestorePreview) throw refuse('is not a restore preview of this tenant');
    if (preview.status !== RunStatus.Succeeded) throw refuse(`the preview has not succeeded (it is ${preview.status})`);
    if (preview.target.backupSetId !== prepared.target.backupSetId || preview.scopeHash !== prepared.scopeHash) {
      throw refuse('the preview covers another backup set or another selection of items');
    }
    const ageMs = Date.now() - (preview.finishedAt?.getTime() ?? 0);
    if (ageMs > this.config.RESTORE_PREVIEW_MAX_AGE_MS) {
      throw refuse(`the preview is older than ${Math.round(this.config.RESTORE_PREVIEW_MAX_AGE_MS / 60_000)} minutes: preview again`);
    }
  }
}
