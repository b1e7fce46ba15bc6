import { ApiProperty } from '@nestjs/swagger';
import { DirectoryRole, TenantRole } from '@policyvault/contracts';

export class MyMembershipResponse {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ example: 'Contoso' })
  displayName: string;

  @ApiProperty({ format: 'uuid' })
  directoryId: string;

  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole' })
  role: TenantRole;

  @ApiProperty({ format: 'date-time', nullable: true })
  disabledAt: string | null;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'Null for a valid token of a user PolicyVault does not know.' })
  userId: string | null;

  @ApiProperty({ example: 'owner@contoso.test' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  displayName: string | null;

  @ApiProperty({
    enum: DirectoryRole,
    enumName: 'DirectoryRole',
    nullable: true,
    description: 'admin: an MSP administrator (every tenant, as owner; onboards and removes tenants). Null otherwise.',
  })
  directoryRole: DirectoryRole | null;

  @ApiProperty({ type: [MyMembershipResponse], description: "The caller's own memberships (an administrator's directory role adds none here)." })
  memberships: MyMembershipResponse[];
}
