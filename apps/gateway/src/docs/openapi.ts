import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AuditModule } from '../audit/audit.module.js';
import { BackupsModule } from '../backups/backups.module.js';
import { DriftReportsModule } from '../drift-reports/drift-reports.module.js';
import { NotificationChannelsModule } from '../notification-channels/notification-channels.module.js';
import { FleetModule } from '../fleet/fleet.module.js';
import { LiveProgressModule } from '../live-progress/live-progress.module.js';
import { MeModule } from '../me/me.module.js';
import { MembersModule } from '../members/members.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { RestorePreviewsModule } from '../restore-previews/restore-previews.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { VersionCompareModule } from '../version-compare/version-compare.module.js';

export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('PolicyVault gateway')
    .setDescription(
      'The admin API of PolicyVault: the caller (/api/me), tenants (onboarding, removal, members), runs (with live progress as server-sent events, cancel, and restore ' +
        'previews), the backup store (policies, versions and their compare, also with the live object by way of a capture run, backup sets), drift reports, backup schedules, audit events, the caller\'s notifications and the tenants\' notification channels (webhooks, Teams, email; subscriptions; deliveries and dead letters), and the fleet (every tenant at a glance, runs started in many tenants at once). ' +
        'Every route needs a bearer token. Errors are `{ statusCode, error, message }`; 401 without a valid token, ' +
        '403 for a tenant the caller is not a member of (even one that does not exist), a role too low, or an operation ' +
        'only MSP administrators (directory role admin) may do; administrators act in every tenant as owners. ' +
        '400 for any malformed input (naming the field), ' +
        '404 for an id that is not in the path\'s tenant (or not among the caller\'s notifications), 409 for a conflict ' +
        '(canceling a run that has ended, a preview that does not confirm a live restore, a tenant onboarded already, the ' +
        'last owner of a tenant, any start in a removed tenant: message starting tenant_disabled; a request with the same ' +
        'Idempotency-Key still running), 422 for an Idempotency-Key sent again with a different body, 429 (Retry-After) when the ' +
        'caller or the tenant is over its request limit or the caller holds too many live streams, 503 when run-service, the backup ' +
        'store (capture-worker), the restore-worker or the notifier does ' +
        'not answer in time (safe to retry).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, {
    include: [MeModule, TenantsModule, MembersModule, RunsModule, LiveProgressModule, RestorePreviewsModule, BackupsModule, SchedulesModule, NotificationsModule, NotificationChannelsModule, AuditModule, FleetModule, DriftReportsModule, VersionCompareModule],
  });
}

/** The UI at /docs and the document at /docs-json; both public (they describe, they grant nothing). */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
  });
}
