import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { TenantRole } from '@policyvault/contracts';

export class AddMemberBody {
  @ApiProperty({ example: 'colleague@msp.example', description: 'Matched lower-cased; a user PolicyVault does not know yet is created.' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole' })
  @IsEnum(TenantRole)
  role: TenantRole;

  @ApiPropertyOptional({ maxLength: 200, description: 'Only used when the user is created.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  displayName?: string;
}

export class ChangeMemberBody {
  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole' })
  @IsEnum(TenantRole)
  role: TenantRole;
}
