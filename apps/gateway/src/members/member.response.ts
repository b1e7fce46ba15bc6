import { ApiProperty } from '@nestjs/swagger';
import { TenantRole } from '@policyvault/contracts';

export class MemberResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'owner@contoso.test' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole' })
  role: TenantRole;

  @ApiProperty({ format: 'date-time' })
  addedAt: string;
}

export class MemberListResponse {
  @ApiProperty({ type: [MemberResponse] })
  items: MemberResponse[];
}
