// OpenAPI descriptions of the notifier's channel views (libs/contracts notification-channel.messages).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NotificationChannelKind, NotificationDeliveryStatus, NotificationEventKind, NotificationScope } from '@policyvault/contracts';

export class NotificationEndpointResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ enum: NotificationScope, enumName: 'NotificationScope' }) scope: NotificationScope;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Personal endpoints: their user.' }) userId: string | null;
  @ApiProperty({ enum: NotificationChannelKind, enumName: 'NotificationChannelKind' }) kind: NotificationChannelKind;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Scheme, host and path of a URL (never its query), or the email recipients.' }) target: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why it was disabled (repeated failed deliveries).' }) disabledReason: string | null;
  @ApiProperty({ description: 'Deliveries given up in a row.' }) consecutiveFailures: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedNotificationEndpointResponse extends NotificationEndpointResponse {
  @ApiPropertyOptional({ description: 'A webhook\'s signing secret PolicyVault made: answered this once, never again.' }) secret?: string;
}

export class NotificationSubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ enum: NotificationScope, enumName: 'NotificationScope' }) scope: NotificationScope;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId: string | null;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ enum: NotificationEventKind, enumName: 'NotificationEventKind', isArray: true }) events: NotificationEventKind[];
  @ApiProperty() digest: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NotificationDeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Also the `webhook-id` header of every attempt.' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ example: 'run.failed' }) eventKind: string;
  @ApiProperty({ example: 'run:…:status:failed' }) eventKey: string;
  @ApiProperty({ enum: NotificationDeliveryStatus, enumName: 'NotificationDeliveryStatus' }) status: NotificationDeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastHttpStatus: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: string | null;
}

export class NotificationTestSendResponse {
  @ApiProperty({ format: 'uuid', description: 'The delivery to follow in the deliveries list.' }) deliveryId: string;
}
