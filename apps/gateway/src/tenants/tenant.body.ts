import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsFQDN, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

export const MAX_TAGS = 20;
/** A letter or digit, then letters, digits and ` _.:/-` (never `;` or `,`: the CSV separators). */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:/-]{0,63}$/u;
const TAG_MESSAGE = 'each tag must be 1 to 64 letters, digits, spaces or _.:/- starting with a letter or digit';
const NOT_BLANK = /\S/;

export class CreateTenantBody {
  @ApiPropertyOptional({ format: 'uuid', description: "The customer's Entra directory (tenant) id. Give this or domain." })
  @IsOptional()
  @IsUUID('all')
  directoryId?: string;

  @ApiPropertyOptional({
    example: 'contoso.onmicrosoft.com',
    description: 'A domain verified in the customer\'s directory, resolved through Entra\'s OpenID discovery (404 when no directory has it). Give this or directoryId.',
  })
  @IsOptional()
  @IsString()
  @Length(3, 253)
  @IsFQDN({ require_tld: true }, { message: 'must be a domain name such as contoso.onmicrosoft.com' })
  domain?: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Contoso' })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  displayName: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, example: ['gold', 'eu'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @Matches(TAG_PATTERN, { each: true, message: TAG_MESSAGE })
  tags?: string[];
}

export class UpdateTenantBody {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'must not be blank' })
  displayName?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'Replaces the tags.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @Matches(TAG_PATTERN, { each: true, message: TAG_MESSAGE })
  tags?: string[];
}

/** Tags as stored: trimmed, each once, in the order given. */
export function normalizeTags(tags: readonly string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((tag) => tag.trim()))];
}
