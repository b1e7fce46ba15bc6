import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `?from=<versionId>&to=<versionId>`: two stored versions of the policy. */
export class VersionCompareQuery {
  @ApiProperty({ format: 'uuid', description: 'The earlier version (its values are the diff\'s `snapshot` side).' })
  @IsUUID('all')
  from: string;

  @ApiProperty({ format: 'uuid', description: 'The later version (its values are the diff\'s `live` side). Comparing with the live object is a drift check run, not this route.' })
  @IsUUID('all')
  to: string;
}
