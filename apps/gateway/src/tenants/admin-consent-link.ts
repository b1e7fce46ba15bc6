import { Injectable } from '@nestjs/common';
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';

/** Development only (AUTH_MODE=development without ADMIN_CONSENT_REDIRECT_URI): where a local consent returns. */
const DEVELOPMENT_CONSENT_REDIRECT = 'http://localhost:3000/';

/**
 * The link a customer's global administrator opens to consent to the MSP's multi-tenant app in
 * their directory: `{authority}/{directoryId}/adminconsent?client_id=…&redirect_uri=…` (Entra's
 * admin-consent endpoint; with the emulator's authority in development).
 */
@Injectable()
export class AdminConsentLink {
  private readonly authority: string;
  private readonly clientId: string;
  private readonly redirectUri: string;

  constructor(config: GatewayConfig) {
    this.authority = config.GRAPH_AUTHORITY_HOST.replace(/\/+$/, '');
    this.clientId = config.GRAPH_CLIENT_ID || DEMO_GRAPH_APP.clientId;
    this.redirectUri = config.ADMIN_CONSENT_REDIRECT_URI || DEVELOPMENT_CONSENT_REDIRECT;
  }

  for(directoryId: string): string {
    const query = new URLSearchParams({ client_id: this.clientId, redirect_uri: this.redirectUri });
    return `${this.authority}/${directoryId}/adminconsent?${query.toString()}`;
  }
}
