import { Injectable } from '@nestjs/common';
import { RpcErrorCode, RUN_TYPES, RUN_TYPES_REGISTRY, RunStatus, RunType, type StartRunRequest } from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import type { PreparedStart } from './start-run.service.js';
import { RunRepository } from './run.repository.js';

const CONFIRMED_TYPES = RUN_TYPES.filter((type) => RUN_TYPES_REGISTRY[type].writesToGraph);
const NEEDED =
  "confirmation: a live restore needs confirmation.previewRunId (a succeeded preview of the same backup set and items) or confirmation.tenantName (the tenant's display name typed back)";

/** Trimmed and NFC-normalized; case is kept: typing the name exactly is the point of the confirmation. */
function comparable(name: string): string {
  return name.trim().normalize('NFC');
}

/**
 * The one decision on a start's confirmation, before any database read: a run that writes to Graph
 * (RUN_TYPES_REGISTRY) needs one and no other run takes one; a typed-back tenant name must match the
 * display name the gateway sent. Returns the preview run id left to check, if any; throws a
 * validation error (400 at the gateway) naming the field.
 */
export function previewToCheck(request: Pick<StartRunRequest, 'type' | 'confirmation' | 'tenantDisplayName'> & { scope?: unknown }): string | undefined {
  const confirmation = request.confirmation;
  if (!RUN_TYPES_REGISTRY[request.type].writesToGraph) {
    if (confirmation !== undefined) {
      throw RpcException.validation([`confirmation: only a ${CONFIRMED_TYPES.join(' or ')} run takes a confirmation`]);
    }
    return undefined;
  }
  const { previewRunId, tenantName, includeTenantSettings } = confirmation ?? {};
  if (previewRunId === undefined && tenantName === undefined) throw RpcException.validation([NEEDED]);
  // Tenant-wide settings are overwritten only when the operator confirmed that too, in so many words.
  const scopeIncludesTenantSettings = (request.scope as { includeTenantSettings?: unknown } | undefined)?.includeTenantSettings === true;
  if (scopeIncludesTenantSettings !== (includeTenantSettings === true)) {
    throw RpcException.validation([
      scopeIncludesTenantSettings
        ? 'confirmation.includeTenantSettings: a restore that includes tenant-wide settings needs confirmation.includeTenantSettings: true'
        : 'confirmation.includeTenantSettings: only a restore whose scope includes tenant-wide settings (scope.includeTenantSettings) takes it',
    ]);
  }
  if (previewRunId !== undefined && tenantName !== undefined) {
    throw RpcException.validation(['confirmation: give either previewRunId or tenantName, not both']);
  }
  if (previewRunId !== undefined) return previewRunId.toLowerCase();
  if (request.tenantDisplayName === undefined || comparable(tenantName!) !== comparable(request.tenantDisplayName)) {
    throw RpcException.validation(["confirmation.tenantName: does not match the tenant's display name"]);
  }
  return undefined;
}

/**
 * A live restore writes to a customer's tenant, so it starts only with an explicit confirmation:
 * a succeeded preview of the same backup set and the same scope, no older than
 * RESTORE_PREVIEW_MAX_AGE_MS — or the tenant's name typed back. This is the only place that decides
 * it; the gateway forwards what the operator sent.
 */
@Injectable()
export class RestoreConfirmationCheck {
  constructor(
    private readonly runs: RunRepository,
    private readonly config: RunServiceConfig,
  ) {}

  async check(request: StartRunRequest, prepared: PreparedStart): Promise<void> {
    const previewRunId = previewToCheck(request);
    if (previewRunId === undefined) return;
    const preview = await this.runs.find(request.tenantId, previewRunId);
    const refuse = (reason: string) => new RpcException(RpcErrorCode.Conflict, `confirmation.previewRunId: ${reason}`);
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
