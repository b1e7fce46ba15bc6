import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { POLICY_TYPE_ID_PATTERN } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';

export class ListPoliciesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'A policy type id of the Graph contract registry.', example: 'deviceConfiguration', pattern: POLICY_TYPE_ID_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(POLICY_TYPE_ID_PATTERN, { message: '$property must be a letter followed by 1 to 63 letters or digits (a policy type id such as deviceConfiguration)' })
  policyType?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the display name.', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  search?: string;
}
