import { ApiProperty } from '@nestjs/swagger';
import type { PolicyVersionComparison } from '@policyvault/contracts';
import { PolicyVersionSummaryResponse } from '../backups/backup-store.response.js';
import { FieldDifferenceResponse } from '../restore-previews/restore-preview.response.js';
import { StartRunResponse } from '../runs/run.response.js';

export class PolicyVersionComparisonResponse implements PolicyVersionComparison {
  @ApiProperty({ format: 'uuid' }) policyId: string;
  @ApiProperty({ example: 'deviceConfiguration' }) policyType: string;
  @ApiProperty({ type: PolicyVersionSummaryResponse }) from: PolicyVersionSummaryResponse;
  @ApiProperty({ type: PolicyVersionSummaryResponse }) to: PolicyVersionSummaryResponse;
  @ApiProperty({
    type: [FieldDifferenceResponse],
    description:
      'As a restore preview shows them: `live` is the `to` version\'s value, `snapshot` the `from` version\'s. A changed secret value shows ' +
      'as `secret value` → `secret value, changed`, never its value.',
  })
  differences: FieldDifferenceResponse[];
}

export class LiveComparisonStartedResponse extends StartRunResponse {
  @ApiProperty({
    example: '/api/tenants/…/policies/…/versions/compare?from=…&to=run%3A…',
    description: 'Where the diff is once the run has ended: the same `from`, and `to=run:<the run\'s id>` (its recorded version).',
  })
  compareWhenDone: string;
}
