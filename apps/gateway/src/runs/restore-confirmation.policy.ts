import { RunType, type RestoreConfirmation } from '@policyvault/contracts';
import { GatewayException } from '../errors/gateway.exception.js';
import type { RestoreConfirmationBody } from './start-run.dto.js';

const NEEDED =
  "confirmation: a live restore needs confirmation.previewRunId (a succeeded preview of the same backup set and items) or confirmation.tenantName (the tenant's display name typed back)";

/** Trimmed and NFC-normalized; case is kept: typing the name exactly is the point of the confirmation. */
function comparable(name: string): string {
  return name.trim().normalize('NFC');
}

/**
 * What run-service is told about a start's confirmation, or a 400 naming the field. Only
 * restore.execute takes one and needs one. A typed-back tenant name is checked here (the gateway
 * owns tenant names) and passed on as `tenantNameConfirmed`; a preview id is passed on for
 * run-service to check (it owns runs: unfinished, other scope, stale → 409).
 */
export function restoreConfirmationFor(
  type: RunType,
  confirmation: RestoreConfirmationBody | undefined,
  tenantDisplayName: string,
): RestoreConfirmation | undefined {
  if (type !== RunType.RestoreExecute) {
    if (confirmation !== undefined) throw GatewayException.invalidRequest(`confirmation: only a restore.execute run takes a confirmation`);
    return undefined;
  }
  const { previewRunId, tenantName } = confirmation ?? {};
  if (previewRunId === undefined && tenantName === undefined) throw GatewayException.invalidRequest(NEEDED);
  if (previewRunId !== undefined && tenantName !== undefined) {
    throw GatewayException.invalidRequest('confirmation: give either previewRunId or tenantName, not both');
  }
  if (previewRunId !== undefined) return { previewRunId: previewRunId.toLowerCase() };
  if (comparable(tenantName!) !== comparable(tenantDisplayName)) {
    throw GatewayException.invalidRequest("confirmation.tenantName: does not match the tenant's display name");
  }
  return { tenantNameConfirmed: true };
}
