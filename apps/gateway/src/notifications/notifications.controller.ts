import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { NotificationPage, NotificationView } from '@policyvault/contracts';
import { Authenticated } from '../auth/authenticated.decorator.js';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import { OptionalJsonBodyGuard } from '../common/json-body.guard.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { TenantAccessService } from '../tenants/tenant-access.service.js';
import { ListNotificationsQuery, MarkAllReadBody } from './list-notifications.query.js';
import { MarkAllReadResponse, NotificationPageResponse, NotificationResponse } from './notification.response.js';
import { NotificationTenantFilterGuard } from './notification-tenant-filter.guard.js';
import { NotifierClient, type MarkAllReadReply } from './notifier.client.js';

const TENANT_FILTER_FORBIDDEN = 'The `tenantId` filter names a tenant the caller is not a member of (also one that does not exist).';
const NOT_VISIBLE =
  "No such notification among the caller's: one that does not exist, or another user's about a tenant the caller can see. " +
  'One about a tenant the caller is not a member of (any more) answers 403.';
/** Matches no user: a caller PolicyVault does not know still learns 403 or 404 for an id like anyone else. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * The caller's own notifications (persisted by the notifier on every run transition of runs they
 * started). Only tenants the caller is still a member of are visible: the gateway passes their
 * current memberships, so access lost to a tenant hides its notifications at once.
 */
@ApiTags('notifications')
@Authenticated()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The notifier did not answer in time; safe to retry.' })
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly tenants: TenantAccessService,
    private readonly notifier: NotifierClient,
  ) {}

  @Get()
  @UseGuards(NotificationTenantFilterGuard)
  @ApiOperation({ summary: "The caller's notifications, newest first, with the unread count" })
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A malformed query parameter; the message names it.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: TENANT_FILTER_FORBIDDEN })
  async list(@CurrentIdentity() identity: AuthenticatedIdentity, @Query() query: ListNotificationsQuery): Promise<NotificationPage> {
    const visibility = await this.tenants.visibility(identity);
    if (!visibility) return { items: [], nextCursor: null, unreadCount: 0 };
    return this.notifier.list({
      userId: visibility.userId,
      visibleTenantIds: visibility.tenantIds,
      ...query,
      ...(query.tenantId ? { tenantId: query.tenantId.toLowerCase() } : {}),
    });
  }

  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  @UseGuards(OptionalJsonBodyGuard, NotificationTenantFilterGuard)
  @ApiOperation({ summary: "Mark all the caller's notifications read", description: 'In every tenant of the caller, or in the one of `tenantId`. The body is optional.' })
  @ApiOkResponse({ type: MarkAllReadResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A body that is not a JSON object, or a malformed or unknown field.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: TENANT_FILTER_FORBIDDEN })
  async markAllRead(@CurrentIdentity() identity: AuthenticatedIdentity, @Body() body: MarkAllReadBody): Promise<MarkAllReadReply> {
    const visibility = await this.tenants.visibility(identity);
    if (!visibility) return { markedRead: 0, unreadCount: 0 };
    return this.notifier.markAllRead({
      userId: visibility.userId,
      visibleTenantIds: visibility.tenantIds,
      ...(body.tenantId ? { tenantId: body.tenantId.toLowerCase() } : {}),
    });
  }

  @Post(':notificationId/read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark one notification read', description: 'Marking a read notification again changes nothing.' })
  @ApiParam({ name: 'notificationId', format: 'uuid' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'notificationId is not a UUID.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_VISIBLE })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'The notification is about a tenant the caller is not a member of.' })
  async markRead(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Param('notificationId', UuidParamPipe) notificationId: string,
  ): Promise<NotificationView> {
    const visibility = await this.tenants.visibility(identity);
    // Without a visible tenant nothing matches; the notifier still says whose the id is (403 or 404).
    const userId = visibility?.userId ?? identity.userId ?? NO_USER;
    return this.notifier.markRead({ userId, visibleTenantIds: visibility?.tenantIds ?? [], notificationId });
  }
}
