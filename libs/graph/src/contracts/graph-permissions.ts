// Microsoft Graph application permissions (Entra app roles such as `DeviceManagementConfiguration.Read.All`).
// Graph's permission tables list, per API, every permission that allows it "from least to most privileged";
// for the Intune families the `.ReadWrite.All` permission always allows what its `.Read.All` allows.

/** The shape of a Graph application permission name; anything else read from a token is ignored. */
const PERMISSION_NAME = /^[A-Za-z][A-Za-z0-9]{0,80}(\.[A-Za-z0-9]{1,40}){1,4}$/;
const READ_SUFFIX = '.Read.All';
const READ_WRITE_SUFFIX = '.ReadWrite.All';

export function isPermissionName(value: unknown): value is string {
  return typeof value === 'string' && PERMISSION_NAME.test(value);
}

/** `X.Read.All` is granted by `X.Read.All` or `X.ReadWrite.All`; any other permission only by itself. */
export function isPermissionGranted(needed: string, granted: ReadonlySet<string>): boolean {
  if (granted.has(needed)) return true;
  return needed.endsWith(READ_SUFFIX) && granted.has(`${needed.slice(0, -READ_SUFFIX.length)}${READ_WRITE_SUFFIX}`);
}

/** The needed permissions the granted ones do not cover, sorted, each once. */
export function missingPermissions(needed: Iterable<string>, granted: Iterable<string>): string[] {
  const grantedSet = new Set(granted);
  return [...new Set(needed)].filter((permission) => !isPermissionGranted(permission, grantedSet)).sort();
}

/** Sorted, each once, without a `.Read.All` its own `.ReadWrite.All` already covers: what to ask an admin for. */
export function minimalPermissions(permissions: Iterable<string>): string[] {
  const all = new Set(permissions);
  return [...all].filter((permission) => !(permission.endsWith(READ_SUFFIX) && isPermissionGranted(permission, withoutItself(all, permission)))).sort();
}

function withoutItself(all: ReadonlySet<string>, permission: string): Set<string> {
  const others = new Set(all);
  others.delete(permission);
  return others;
}

/**
 * The application permissions an access token grants (its `roles` claim), read from the token's payload
 * without verifying it: the token came straight from the authority, and only its claims are compared.
 * Never logs or keeps the token; a token that cannot be read grants nothing.
 */
export function applicationPermissionsOfToken(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) return [];
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  const roles = (claims as { roles?: unknown } | null)?.roles;
  if (!Array.isArray(roles)) return [];
  return [...new Set(roles.filter(isPermissionName))].sort();
}
