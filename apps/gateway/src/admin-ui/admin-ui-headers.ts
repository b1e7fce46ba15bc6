import type { GatewayConfig } from '../gateway.config.js';
import { entraAuthority } from '../public-settings/public-settings.controller.js';

/** On every answer (API and UI): no sniffing, no framing, no referrer leaking ids in URLs. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The admin UI's Content-Security-Policy: its own scripts only (no inline script, no eval); inline styles
 * are allowed because Mantine sets style attributes and CSS variables at run time. With Entra sign-in,
 * MSAL talks to the authority (token requests, and a hidden frame when a silent renewal needs one).
 */
export function adminUiContentSecurityPolicy(config: GatewayConfig): string {
  const identityOrigin = config.AUTH_MODE === 'oidc' && config.AUTH_UI_CLIENT_ID ? new URL(entraAuthority(config)).origin : null;
  const withIdentity = (sources: string) => (identityOrigin ? `${sources} ${identityOrigin}` : sources);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${withIdentity("'self'")}`,
    `frame-src ${identityOrigin ?? "'none'"}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function adminUiHeaders(config: GatewayConfig): Record<string, string> {
  return {
    'Content-Security-Policy': adminUiContentSecurityPolicy(config),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
