import { ApiProperty } from '@nestjs/swagger';
import { TenantRole } from '@policyvault/contracts';

export class TenantResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Contoso' })
  displayName: string;

  @ApiProperty({ format: 'uuid', description: "The customer's Entra directory id." })
  directoryId: string;

  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole', description: "The caller's role in this tenant." })
  role: TenantRole;
}

export class TenantListResponse {
  @ApiProperty({ type: [TenantResponse] })
  items: TenantResponse[];
}
