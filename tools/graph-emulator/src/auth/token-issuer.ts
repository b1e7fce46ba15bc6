import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
}

export interface TokenClaims {
  tid: string;
  appid: string;
  exp: number;
  iat: number;
  /** The application permissions (app roles) the tenant granted the app; Entra omits the claim when there are none. */
  roles?: string[];
}

/**
 * The application permissions a tenant grants the app unless told otherwise: read and write of every
 * Intune configuration family the emulator serves, Windows 365 (`CloudPC`), Conditional Access (`Policy.Read.All`,
 * `Policy.ReadWrite.ConditionalAccess`), authentication strengths (`Policy.ReadWrite.AuthenticationMethod`), and reading groups. (Chosen from Graph's permission
 * tables here, independently of the client; a test checks it covers what the client asks for.)
 */
export const ALL_EMULATED_PERMISSIONS: readonly string[] = [
  'CloudPC.ReadWrite.All',
  'DeviceManagementApps.ReadWrite.All',
  'DeviceManagementConfiguration.ReadWrite.All',
  // Device categories (Graph's permission table for deviceCategory).
  'DeviceManagementManagedDevices.ReadWrite.All',
  'DeviceManagementRBAC.ReadWrite.All',
  'DeviceManagementScripts.ReadWrite.All',
  'DeviceManagementServiceConfig.ReadWrite.All',
  'Group.Read.All',
  'Policy.Read.All',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.ReadWrite.ConditionalAccess',
];

export type TokenRequestResult =
  | { ok: true; body: { token_type: 'Bearer'; expires_in: number; ext_expires_in: number; access_token: string } }
  | { ok: false; status: number; body: Record<string, unknown> };

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Client-credentials token endpoint and token validation (HS256 with a key made at start), with admin
 * consent per (tenant, app): the app's service principal exists in a tenant only once consented there,
 * and its tokens carry the granted application permissions as `roles`.
 */
export class TokenIssuer {
  private readonly key = randomBytes(32);
  /** tenant → app (client id) → granted application permissions. */
  private readonly consents = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly apps: RegisteredApp[],
    private readonly lifetimeSeconds: number,
  ) {}

  /** The app an admin call means when it names none: the first registered one. */
  get defaultClientId(): string {
    return this.apps[0]?.clientId ?? '';
  }

  /** Admin consent: the app gets a service principal in the tenant with exactly these permissions (replacing earlier ones). */
  grantConsent(tenant: string, permissions: readonly string[], clientId = this.defaultClientId): void {
    const byApp = this.consents.get(tenant) ?? new Map<string, string[]>();
    byApp.set(clientId, [...new Set(permissions)].sort());
    this.consents.set(tenant, byApp);
  }

  /** Removes the app's service principal from the tenant (every app's when no client id is given). */
  revokeConsent(tenant: string, clientId?: string): void {
    if (clientId === undefined) this.consents.delete(tenant);
    else this.consents.get(tenant)?.delete(clientId);
  }

  /** The permissions granted to the app in the tenant; undefined when it has no consent there. */
  consentOf(tenant: string, clientId = this.defaultClientId): string[] | undefined {
    const granted = this.consents.get(tenant)?.get(clientId);
    return granted ? [...granted] : undefined;
  }

  issue(tenant: string, form: URLSearchParams, tenantExists: boolean): TokenRequestResult {
    const correlationId = form.get('client-request-id') ?? randomUUID();
    const failure = (status: number, error: string, aadsts: number, description: string): TokenRequestResult => ({
      ok: false,
      status,
      body: {
        error,
        error_description: `AADSTS${aadsts}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
        error_codes: [aadsts],
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: correlationId,
      },
    });
    if (form.get('grant_type') !== 'client_credentials') return failure(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (!tenantExists) return failure(400, 'invalid_request', 90002, `Tenant '${tenant.slice(0, 64)}' not found.`);
    if (!(form.get('scope') ?? '').endsWith('/.default')) return failure(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
    const app = this.apps.find((candidate) => candidate.clientId === form.get('client_id'));
    if (!app) return failure(400, 'unauthorized_client', 700016, 'Application was not found in the directory.');
    if (!this.credentialMatches(app, form)) return failure(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    // A multi-tenant app nobody consented to in this tenant has no service principal there: Entra refuses
    // the client-credentials request with AADSTS7000229 (401 invalid_client).
    const granted = this.consentOf(tenant, app.clientId);
    if (!granted) return failure(401, 'invalid_client', 7000229, `The client application ${app.clientId} is missing service principal in the tenant ${tenant.slice(0, 64)}.`);
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { tid: tenant, appid: app.clientId, iat: now, exp: now + this.lifetimeSeconds, ...(granted.length > 0 ? { roles: granted } : {}) };
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify({ aud: 'https://graph.microsoft.com', ...claims }));
    const signature = createHmac('sha256', this.key).update(`${header}.${payload}`).digest('base64url');
    return {
      ok: true,
      body: { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: `${header}.${payload}.${signature}` },
    };
  }

  /** Claims of a valid, unexpired token issued here; undefined otherwise. */
  verify(authorization: string | undefined): TokenClaims | undefined {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    if (!match) return undefined;
    const [header, payload, signature] = match[1].split('.');
    if (!header || !payload || !signature) return undefined;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    return claims.exp > Date.now() / 1000 ? claims : undefined;
  }

  private credentialMatches(app: RegisteredApp, form: URLSearchParams): boolean {
    const secret = form.get('client_secret');
    if (secret !== null) {
      const given = Buffer.from(secret);
      const expected = Buffer.from(app.clientSecret);
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    // Certificate credentials: the assertion must name the app (signatures are not checked by the emulator).
    const assertion = form.get('client_assertion');
    if (!assertion) return false;
    try {
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string; sub?: string };
      return claims.iss === app.clientId && claims.sub === app.clientId;
    } catch {
      return false;
    }
  }
}
