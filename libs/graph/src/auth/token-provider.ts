import { ConfidentialClientApplication, type INetworkModule, type NodeAuthOptions } from '@azure/msal-node';
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError } from '../errors/graph-error.js';

export type GraphCredentials =
  | { clientId: string; clientSecret: string }
  | { clientId: string; certificate: { thumbprintSha256: string; privateKey: string; x5c?: string } };

export interface TokenProvider {
  /** An access token for Graph in this tenant; `forceRefresh` after Graph rejected the cached one. */
  getToken(forceRefresh?: boolean): Promise<string>;
}

export interface MsalTokenProviderOptions {
  tenantId: string;
  credentials: GraphCredentials;
  authorityHost: string;
  /** The Graph resource whose `/.default` scope is requested (always the public Graph id, also for the emulator). */
  scope?: string;
  networkClient?: INetworkModule;
}

/** MSAL renews a cached token this long before it expires (its default token renewal offset); so does the memo. */
const RENEW_BEFORE_EXPIRY_MS = 300_000;

/**
 * One ConfidentialClientApplication per customer directory: MSAL caches and renews the token; concurrent
 * callers share one in-flight acquisition so a burst of requests costs one token request. The token MSAL
 * returned is kept until MSAL itself would renew it (its refresh time, or 5 minutes before it expires): every
 * Graph request asks for the token, and MSAL's cache lookup costs far more CPU than a comparison.
 */
export class MsalTokenProvider implements TokenProvider {
  private readonly application: ConfidentialClientApplication;
  private readonly scopes: string[];
  private inFlight: Promise<string> | undefined;
  private current: { token: string; renewAt: number } | undefined;
  /** Only the latest acquisition sets `current` (an older one may end after a forced refresh). */
  private acquisitions = 0;

  constructor(options: MsalTokenProviderOptions) {
    const authorityHost = options.authorityHost.replace(/\/+$/, '');
    const authority = `${authorityHost}/${options.tenantId}`;
    const host = new URL(authorityHost).host;
    const auth: NodeAuthOptions = {
      clientId: options.credentials.clientId,
      authority,
      knownAuthorities: [host],
      // Static metadata: no OIDC or instance discovery round-trips (and none to the internet).
      authorityMetadata: JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        issuer: `${authority}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
      }),
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    };
    if ('clientSecret' in options.credentials) auth.clientSecret = options.credentials.clientSecret;
    else auth.clientCertificate = options.credentials.certificate;
    this.application = new ConfidentialClientApplication({
      auth,
      system: { networkClient: options.networkClient, disableInternalRetries: true },
    });
    this.scopes = [options.scope ?? 'https://graph.microsoft.com/.default'];
  }

  getToken(forceRefresh = false): Promise<string> {
    if (forceRefresh) this.current = undefined;
    else if (this.current && Date.now() < this.current.renewAt) return Promise.resolve(this.current.token);
    if (this.inFlight && !forceRefresh) return this.inFlight;
    const acquisition = this.acquire(forceRefresh, ++this.acquisitions).finally(() => {
      if (this.inFlight === acquisition) this.inFlight = undefined;
    });
    this.inFlight = acquisition;
    return acquisition;
  }

  private async acquire(forceRefresh: boolean, acquisition: number): Promise<string> {
    try {
      const result = await this.application.acquireTokenByClientCredential({ scopes: this.scopes, skipCache: forceRefresh });
      if (!result?.accessToken) throw new GraphError({ code: SafeErrorCode.GraphAuthFailed });
      const renewAt = Math.min(
        result.expiresOn ? result.expiresOn.getTime() - RENEW_BEFORE_EXPIRY_MS : 0,
        result.refreshOn ? result.refreshOn.getTime() : Infinity,
      );
      if (acquisition === this.acquisitions) this.current = { token: result.accessToken, renewAt };
      return result.accessToken;
    } catch (error) {
      throw toAuthError(error);
    }
  }
}

/** MSAL errors carry the authority's description (and sometimes request parameters): keep codes only. */
function toAuthError(error: unknown): GraphError {
  if (error instanceof GraphError) return error;
  const candidate = error as { errorCode?: unknown; errorMessage?: unknown; name?: unknown; correlationId?: unknown };
  const errorCode = typeof candidate?.errorCode === 'string' ? candidate.errorCode : '';
  const aadsts = typeof candidate?.errorMessage === 'string' ? /AADSTS\d{5,7}/.exec(candidate.errorMessage)?.[0] : undefined;
  const isNetwork = candidate?.name === 'NetworkError' || /network|timeout|fetch/i.test(errorCode) || errorCode === 'endpoints_resolution_error';
  if (isNetwork) return new GraphError({ code: SafeErrorCode.GraphNetworkError, graphErrorCode: errorCode || undefined, transient: true });
  // The authority failing (5xx, `temporarily_unavailable`, `server_error`) is worth retrying; a refusal is not.
  // No httpStatus: a token endpoint's 503 is not Graph throttling the tenant (no throttle wait, no pacer pause).
  const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : undefined;
  if ((status !== undefined && status >= 500) || errorCode === 'temporarily_unavailable' || errorCode === 'server_error') {
    return new GraphError({ code: SafeErrorCode.GraphUnavailable, graphErrorCode: aadsts ?? (errorCode || undefined), transient: true });
  }
  return new GraphError({
    code: SafeErrorCode.GraphAuthFailed,
    httpStatus: 401,
    graphErrorCode: aadsts ?? (errorCode || undefined),
    requestId: typeof candidate?.correlationId === 'string' ? candidate.correlationId : undefined,
  });
}
