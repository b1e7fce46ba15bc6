import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail } from 'class-validator';
import { DEMO_TENANTS } from '@policyvault/contracts';
import { signDevelopmentToken } from '@policyvault/platform';
import { JsonBodyGuard } from '../common/json-body.guard.js';
import { DEMO_USERS } from '../database/demo-directory.js';
import { GatewayConfig } from '../gateway.config.js';

export const DEVELOPMENT_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

export class DevelopmentTokenBody {
  @ApiProperty({ example: 'owner@contoso.test' })
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;
}

/**
 * The admin UI's development sign-in: the demo users and a token for any of them. Only mounted with
 * AUTH_MODE=development (AppModule): elsewhere these routes do not exist (404), like `npm run token`.
 */
@ApiTags('development')
@Controller('api/dev')
export class DevelopmentSignInController {
  constructor(private readonly config: GatewayConfig) {}

  @Get('users')
  @ApiOperation({ summary: 'The demo users (development only)' })
  users() {
    const names = new Map(DEMO_TENANTS.map((tenant) => [tenant.id, tenant.displayName]));
    return {
      items: DEMO_USERS.map((user) => ({
        email: user.email,
        displayName: user.displayName,
        memberships: user.memberships.map((membership) => ({ tenantName: names.get(membership.tenantId) ?? membership.tenantId, role: membership.role })),
      })),
    };
  }

  @Post('token')
  @HttpCode(HttpStatus.OK)
  @UseGuards(JsonBodyGuard)
  @ApiOperation({ summary: 'A development bearer token for an email (development only)' })
  @ApiOkResponse({ description: '{ accessToken, expiresIn }' })
  async token(@Body() body: DevelopmentTokenBody) {
    const accessToken = await signDevelopmentToken({
      email: body.email.toLowerCase(),
      signingKey: this.config.AUTH_DEV_SIGNING_KEY as string,
      expiresIn: DEVELOPMENT_TOKEN_LIFETIME_SECONDS,
    });
    return { accessToken, expiresIn: DEVELOPMENT_TOKEN_LIFETIME_SECONDS };
  }
}
