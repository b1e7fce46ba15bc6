import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { DatabaseModule, flattenValidationErrors, HealthModule, NatsModule, PlatformModule, TenantPurgeModule } from '@policyvault/platform';
import { GATEWAY_DATABASE } from './database/gateway-database.js';
import { CompiledValidationPipe } from './common/compiled-validation.pipe.js';
import { AuditModule } from './audit/audit.module.js';
import { DevelopmentSignInModule } from './auth/development-sign-in.module.js';
import { BackupsModule } from './backups/backups.module.js';
import { DirectoryRpcModule } from './directory-rpc/directory-rpc.module.js';
import { DriftReportsModule } from './drift-reports/drift-reports.module.js';
import { GatewayExceptionFilter } from './errors/gateway-exception.filter.js';
import { GatewayException } from './errors/gateway.exception.js';
import { FleetBatchRunEntity } from './fleet/fleet-batch-run.entity.js';
import { FleetModule } from './fleet/fleet.module.js';
import { GatewayConfig } from './gateway.config.js';
import { LiveProgressModule } from './live-progress/live-progress.module.js';
import { MeModule } from './me/me.module.js';
import { MembersModule } from './members/members.module.js';
import { NotificationChannelsModule } from './notification-channels/notification-channels.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PublicSettingsModule } from './public-settings/public-settings.module.js';
import { RateLimitModule } from './rate-limits/rate-limit.guard.js';
import { RestorePreviewsModule } from './restore-previews/restore-previews.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { RunsModule } from './runs/runs.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { MembershipEntity } from './tenants/membership.entity.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { VersionCompareModule } from './version-compare/version-compare.module.js';

/** Unknown fields, wrong types and malformed values are 400s whose messages name the field. */
export function gatewayValidationPipe(): ValidationPipe {
  return new CompiledValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => GatewayException.invalidRequest(flattenValidationErrors(errors)),
  });
}

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('gateway', GatewayConfig, config),
        NatsModule,
        DatabaseModule.forService(GATEWAY_DATABASE),
        HealthModule.register({ database: true }),
        // RateLimitGuard, applied by @Authenticated() and @TenantScoped().
        RateLimitModule,
        TenantsModule,
        MembersModule,
        MeModule,
        // Before RunsModule: its routes must be registered first (see LiveProgressModule).
        LiveProgressModule,
        RunsModule,
        RestorePreviewsModule,
        BackupsModule,
        ImportsModule,
        SchedulesModule,
        NotificationsModule,
        NotificationChannelsModule,
        AuditModule,
        DriftReportsModule,
        VersionCompareModule,
        DirectoryRpcModule,
        FleetModule,
        PublicSettingsModule,
        // A removed tenant's memberships and fleet batch lines, after its retention. Its row stays
        // (disabled): the directory id still answers 409 and the audit trail's tenant keeps its name.
        TenantPurgeModule.register({ service: 'gateway', config: GatewayConfig, entities: [MembershipEntity, FleetBatchRunEntity] }),
        // The admin UI's development sign-in exists only in development: elsewhere its routes are 404s.
        ...(config.AUTH_MODE === 'development' ? [DevelopmentSignInModule] : []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
        { provide: APP_PIPE, useFactory: gatewayValidationPipe },
      ],
    };
  }
}
