import { Logger, Module } from '@nestjs/common';
import { GatewayConfig } from '../gateway.config.js';
import { accessTokenVerifierOptions } from './access-token-keys.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { DirectoryUserLookup } from './directory-user.lookup.js';

@Module({
  providers: [
    {
      provide: AccessTokenVerifier,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => {
        if (config.AUTH_MODE === 'development') {
          new Logger('AuthModule').warn('AUTH_MODE=development: any holder of AUTH_DEV_SIGNING_KEY can sign in as anyone');
        }
        return new AccessTokenVerifier(accessTokenVerifierOptions(config));
      },
    },
    DirectoryUserLookup,
    AuthenticationGuard,
  ],
  exports: [AccessTokenVerifier, DirectoryUserLookup, AuthenticationGuard],
})
export class AuthModule {}
