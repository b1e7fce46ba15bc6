import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { NotificationChannelKind, NotificationDeliveryStatus, NotificationEventKind, NotificationScope } from '@policyvault/contracts';

export class CreateNotificationEndpointBody {
  @ApiProperty({ enum: NotificationScope, enumName: 'NotificationScope', description: '`tenant`: the tenant\'s (owners only); `personal`: the caller\'s own.' })
  @IsIn(Object.values(NotificationScope))
  scope: NotificationScope;

  @ApiProperty({ enum: NotificationChannelKind, enumName: 'NotificationChannelKind' })
  @IsIn(Object.values(NotificationChannelKind))
  kind: NotificationChannelKind;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'PSA tickets' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({
    maxLength: 2048,
    description: 'Webhook and Teams (incoming webhook or Workflows URL). https only, and no host resolving to a loopback, link-local or private address (400).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ type: [String], description: 'Email: 1 to 20 recipients.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  emailTo?: string[];

  @ApiPropertyOptional({ description: 'Webhook: a signing secret `whsec_<base64>`; PolicyVault makes one when absent and answers it this once.' })
  @IsOptional()
  @IsString()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, { message: 'secret must be whsec_ followed by base64 of 24 to 64 bytes' })
  secret?: string;
}

export class CreateNotificationSubscriptionBody {
  @ApiProperty({ enum: NotificationScope, enumName: 'NotificationScope', description: '`tenant` (owners only) or `personal` (the caller\'s).' })
  @IsIn(Object.values(NotificationScope))
  scope: NotificationScope;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  endpointId: string;

  @ApiProperty({ enum: NotificationEventKind, enumName: 'NotificationEventKind', isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(Object.values(NotificationEventKind), { each: true })
  events: NotificationEventKind[];

  @ApiProperty({ description: 'At most one message per hour for this subscription, summarizing the events.' })
  @IsBoolean()
  digest: boolean;
}

export class ListNotificationDeliveriesQuery {
  @ApiPropertyOptional({ enum: NotificationDeliveryStatus, enumName: 'NotificationDeliveryStatus', description: '`dead`: the dead letters.' })
  @IsOptional()
  @IsIn(Object.values(NotificationDeliveryStatus))
  status?: NotificationDeliveryStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  endpointId?: string;
}
