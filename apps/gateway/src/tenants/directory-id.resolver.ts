import { Injectable } from '@nestjs/common';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { GatewayConfig } from '../gateway.config.js';

/** `https://login.microsoftonline.com/<directory id>/v2.0`: the issuer of a directory's v2 discovery document. */
const ISSUER_DIRECTORY_ID = /^https?:\/\/[^/]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i;

/**
 * A verified domain → the Entra directory (tenant) id that verified it, the way Entra answers it:
 * `GET {authority}/{domain}/v2.0/.well-known/openid-configuration` names the directory in `issuer`.
 * An unknown domain is a 400 (AADSTS90002) from Entra and a 404 here; an unreachable or slow
 * authority is a 503; an answer without a directory id in its issuer is a 502.
 */
@Injectable()
export class DirectoryIdResolver {
  private readonly authority: string;

  constructor(private readonly config: GatewayConfig) {
    this.authority = config.GRAPH_AUTHORITY_HOST.replace(/\/+$/, '');
  }

  /** `domain` is already a well-formed DNS name (validated by the caller). */
  async resolve(domain: string): Promise<string> {
    const url = `${this.authority}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.config.TENANT_DISCOVERY_TIMEOUT_MS), headers: { accept: 'application/json' } });
    } catch {
      throw new GatewayException(
        GatewayErrorCode.UpstreamUnavailable,
        `the identity authority (${this.authority}) did not answer the discovery of ${domain} within ${this.config.TENANT_DISCOVERY_TIMEOUT_MS} ms; try again`,
      );
    }
    if (response.status === 400 || response.status === 404) {
      await response.body?.cancel();
      throw new GatewayException(GatewayErrorCode.NotFound, `domain: no Entra directory has verified ${domain}`);
    }
    const document = response.ok ? await response.json().catch(() => undefined) : undefined;
    const issuer = typeof document === 'object' && document !== null ? (document as { issuer?: unknown }).issuer : undefined;
    const match = typeof issuer === 'string' ? ISSUER_DIRECTORY_ID.exec(issuer) : null;
    if (!match) {
      if (!response.bodyUsed) await response.body?.cancel();
      throw new GatewayException(GatewayErrorCode.UpstreamFailed, `the identity authority answered the discovery of ${domain} without a directory id (HTTP ${response.status})`);
    }
    return match[1].toLowerCase();
  }
}
