import { DirectoryRole } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { AuthenticatedIdentity } from './authenticated-identity.js';

export function isDirectoryAdmin(identity: Pick<AuthenticatedIdentity, 'directoryRole'>): boolean {
  return identity.directoryRole === DirectoryRole.Admin;
}

/** 403 unless the caller is an MSP administrator; `action` says what was refused. */
export function requireDirectoryAdmin(identity: AuthenticatedIdentity, action: string): void {
  if (!isDirectoryAdmin(identity)) {
    throw new GatewayException(GatewayErrorCode.InsufficientRole, `${action} needs the MSP administrator directory role (${DirectoryRole.Admin})`);
  }
}
