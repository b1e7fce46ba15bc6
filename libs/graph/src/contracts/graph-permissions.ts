// Microsoft Graph application permissions (Entra app roles such as `DeviceManagementConfiguration.Read.All`).
// Graph's permission tables list, per API, every permission that allows it "from least to most privileged";
// a `.ReadWrite.` permission always allows what its `.Read.` counterpart allows (`X.Read.All` / `X.ReadWrite.All`,
// `Policy.Read.AuthenticationMethod` / `Policy.ReadWrite.AuthenticationMethod`).

/** The shape of a Graph application permission name; anything else read from a token is ignored. */
const PERMISSION_NAME = /^[A-Za-z][A-Za-z0-9]{0,80}(\.[A-Za-z0-9]{1,40}){1,4}$/;
const READ_PERMISSION = /^([A-Za-z][A-Za-z0-9]*)\.Read\.([A-Za-z0-9.]+)$/;

export function isPermissionName(value: unknown): value is string {
  return typeof value === 'string' && PERMISSION_NAME.test(value);
}

/** The permission that also grants a read permission: `X.Read.All` → `X.ReadWrite.All`, `Policy.Read.AuthenticationMethod` → `Policy.ReadWrite.AuthenticationMethod`. */
function readWriteOf(permission: string): string | undefined {
  const read = READ_PERMISSION.exec(permission);
  return read ? `${read[1]}.ReadWrite.${read[2]}` : undefined;
}

/** `X.Read.Y` is granted by `X.Read.Y` or `X.ReadWrite.Y`; any other permission only by itself. */
export function isPermissionGranted(needed: string, granted: ReadonlySet<string>): boolean {
  if (granted.has(needed)) return true;
  const readWrite = readWriteOf(needed);
  return readWrite !== undefined && granted.has(readWrite);
}

/** The needed permissions the granted ones do not cover, sorted, each once. */
export function missingPermissions(needed: Iterable<string>, granted: Iterable<string>): string[] {
  const grantedSet = new Set(granted);
  return [...new Set(needed)].filter((permission) => !isPermissionGranted(permission, grantedSet)).sort();
}

/** Sorted, each once, without a `.Read.` permission its own `.ReadWrite.` one already covers: what to ask an admin for. */
export function minimalPermissions(permissions: Iterable<string>): string[] {
  const all = new Set(permissions);
  return [...all].filter((permission) => !(readWriteOf(permission) !== undefined && isPermissionGranted(permission, withoutItself(all, permission)))).sort();
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
