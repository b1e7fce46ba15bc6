// Entra's OpenID discovery per directory: `GET /{tenant}/v2.0/.well-known/openid-configuration`, where
// {tenant} is a directory id or a domain verified in that directory. The document names the directory
// in `issuer` (how a domain is resolved to a directory id); an unknown tenant is Entra's 400 AADSTS90002.
import { randomUUID } from 'node:crypto';

const PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const DIRECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Entra writes every endpoint on its own host, whichever host was asked (MSAL only talks https). */
const AUTHORITY = 'https://login.microsoftonline.com';
/** Multi-tenant authorities answer with a placeholder instead of a directory id. */
const MULTI_TENANT = new Set(['common', 'organizations']);

export interface DiscoveryAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Domains verified per directory (Entra: a directory's custom and `*.onmicrosoft.com` domains). */
export class VerifiedDomains {
  private readonly directoryOf = new Map<string, string>();

  /** Verifies `domain` in the directory; false when another directory has verified it (a domain belongs to one). */
  add(directoryId: string, domain: string): boolean {
    const name = domain.toLowerCase();
    const owner = this.directoryOf.get(name);
    if (owner !== undefined && owner !== directoryId) return false;
    this.directoryOf.set(name, directoryId);
    return true;
  }

  lookup(domain: string): string | undefined {
    return this.directoryOf.get(domain.toLowerCase());
  }

  of(directoryId: string): string[] {
    return [...this.directoryOf].filter(([, owner]) => owner === directoryId).map(([domain]) => domain).sort();
  }
}

/** The discovery answer for a request, or undefined when the request is not a discovery request. */
export function openIdDiscovery(
  method: string,
  pathname: string,
  directory: { domains: VerifiedDomains; hasTenant(directoryId: string): boolean },
): DiscoveryAnswer | undefined {
  const match = PATH.exec(pathname);
  if (!match || method !== 'GET') return undefined;
  const requested = decodeURIComponent(match[1]);
  if (MULTI_TENANT.has(requested.toLowerCase())) return { status: 200, body: discoveryDocument('{tenantid}', requested.toLowerCase()) };
  if (DIRECTORY_ID.test(requested)) {
    const directoryId = requested.toLowerCase();
    return directory.hasTenant(directoryId) ? { status: 200, body: discoveryDocument(directoryId, directoryId) } : tenantNotFound(requested);
  }
  if (!DNS_NAME.test(requested)) {
    return failure('invalid_request', 900023, `Specified tenant identifier '${requested.slice(0, 64)}' is neither a valid DNS name, nor a valid external domain.`);
  }
  const directoryId = directory.domains.lookup(requested);
  return directoryId !== undefined && directory.hasTenant(directoryId) ? { status: 200, body: discoveryDocument(directoryId, directoryId) } : tenantNotFound(requested);
}

function discoveryDocument(issuerTenant: string, pathTenant: string): Record<string, unknown> {
  const authority = `${AUTHORITY}/${pathTenant}`;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${AUTHORITY}/${issuerTenant}/v2.0`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

function tenantNotFound(requested: string): DiscoveryAnswer {
  return failure(
    'invalid_tenant',
    90002,
    `Tenant '${requested.slice(0, 64)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

function failure(error: string, code: number, description: string): DiscoveryAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString();
  return {
    status: 400,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${AUTHORITY}/error?code=${code}`,
    },
  };
}
