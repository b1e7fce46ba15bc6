import type { DirectoryRole } from '@policyvault/contracts';

/** Who the bearer token says is calling (signature, issuer, audience and expiry verified). */
export interface TokenIdentity {
  /** Lower-cased; matched against gateway.users.email. */
  email: string;
  /** The identity provider's object id (`oid`) or subject (`sub`), for audit. */
  subject: string;
}

/** The verified caller as the gateway's directory knows them (AuthenticationGuard puts it on the request). */
export interface AuthenticatedIdentity extends TokenIdentity {
  /** gateway.users.id, or null for a valid token of a user PolicyVault does not know. */
  userId: string | null;
  /** `admin` for an MSP administrator (sees every tenant, passes every tenant role check as an owner); else null. */
  directoryRole: DirectoryRole | null;
}
