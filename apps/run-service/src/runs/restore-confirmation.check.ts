import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RpcErrorCode, RunStatus, RunType, type StartRunRequest } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import type { PreparedStart } from './start-run.service.js';

interface PreviewRow {
  type: RunType;
  status: RunStatus;
  target: Record<string, unknown>;
  scope_hash: string;
  finished_at: Date | null;
}

/**
 * A live restore writes to a customer's tenant, so it starts only with an explicit confirmation:
 * a succeeded preview of the same backup set and the same scope, no older than
 * RESTORE_PREVIEW_MAX_AGE_MS — or the tenant's name typed back (checked by the gateway).
 */
@Injectable()
export class RestoreConfirmationCheck {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: RunServiceConfig,
  ) {}

  async check(request: StartRunRequest, prepared: PreparedStart): Promise<void> {
    const confirmation = request.confirmation;
    if (confirmation?.tenantNameConfirmed === true) return;
    if (!confirmation?.previewRunId) {
      throw RpcException.validation([
        'confirmation: a live restore needs confirmation.previewRunId (a succeeded preview of the same scope) or the tenant name typed back',
      ]);
    }
    const rows: PreviewRow[] = await this.database.query(
      `SELECT type, status, target, scope_hash, finished_at FROM run_service.runs WHERE id = $1 AND tenant_id = $2`,
      [confirmation.previewRunId, request.tenantId],
    );
    const preview = rows[0];
    const refuse = (reason: string) => new RpcException(RpcErrorCode.Conflict, `confirmation.previewRunId: ${reason}`);
    if (!preview || preview.type !== RunType.RestorePreview) throw refuse('is not a restore preview of this tenant');
    if (preview.status !== RunStatus.Succeeded) throw refuse(`the preview has not succeeded (it is ${preview.status})`);
    if (preview.target.backupSetId !== prepared.target.backupSetId || preview.scope_hash !== prepared.scopeHash) {
      throw refuse('the preview covers another backup set or another selection of items');
    }
    const ageMs = Date.now() - (preview.finished_at?.getTime() ?? 0);
    if (ageMs > this.config.RESTORE_PREVIEW_MAX_AGE_MS) {
      throw refuse(`the preview is older than ${Math.round(this.config.RESTORE_PREVIEW_MAX_AGE_MS / 60_000)} minutes: preview again`);
    }
  }
}
