import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** `to=live`: the policy as Graph holds it now (a capture run); `to=run:<runId>`: the version that run captured. */
export const LIVE = 'live';
export const RUN_PREFIX = 'run:';

/** `?from=<versionId>&to=<versionId | live | run:<runId>>`. */
export class VersionCompareQuery {
  @ApiProperty({ format: 'uuid', description: 'The earlier version (its values are the diff\'s `snapshot` side).' })
  @IsUUID('all')
  from: string;

  @ApiProperty({
    description:
      'The later side (its values are the diff\'s `live` side): a version id; `live` to capture the policy now (starts a ' +
      '`policy.capture_snapshot` run, answers 202); or `run:<runId>` for the version a finished capture run of this policy recorded.',
    example: 'live',
  })
  @Matches(new RegExp(`^(${UUID}|${LIVE}|${RUN_PREFIX}${UUID})$`), { message: 'to must be a version id, live, or run:<runId>' })
  to: string;
}
