import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayConfig } from '../gateway.config.js';

export interface PublicSettings {
  authMode: GatewayConfig['AUTH_MODE'];
  /** The admin UI's Entra ID app registration (a public client: no secret), when configured. */
  entra: { clientId: string; authority: string; scopes: string[] } | null;
}

/** Entra's authority is the issuer without its `/v2.0` suffix (https://login.microsoftonline.com/<tenant>). */
export function entraAuthority(config: GatewayConfig): string {
  return config.AUTH_UI_AUTHORITY ?? (config.AUTH_OIDC_ISSUER as string).replace(/\/v2\.0\/?$/, '');
}

export function publicSettings(config: GatewayConfig): PublicSettings {
  const entra =
    config.AUTH_MODE === 'oidc' && config.AUTH_UI_CLIENT_ID
      ? {
          clientId: config.AUTH_UI_CLIENT_ID,
          authority: entraAuthority(config),
          scopes: (config.AUTH_UI_SCOPES ?? `${config.AUTH_OIDC_AUDIENCE}/.default`).split(/[\s,]+/).filter(Boolean),
        }
      : null;
  return { authMode: config.AUTH_MODE, entra };
}

/** What the admin UI needs before anyone signs in: how to sign in. Public (it grants nothing). */
@ApiTags('public')
@Controller('api/public-settings')
export class PublicSettingsController {
  constructor(private readonly config: GatewayConfig) {}

  @Get()
  @ApiOperation({ summary: "How this deployment signs people in (the admin UI's settings)" })
  @ApiOkResponse({ description: '{ authMode, entra: { clientId, authority, scopes } | null }' })
  get(): PublicSettings {
    return publicSettings(this.config);
  }
}
