import { ApiProperty } from '@nestjs/swagger';
import type { PolicyVersionComparison } from '@policyvault/contracts';
import { PolicyVersionSummaryResponse } from '../backups/backup-store.response.js';
import { FieldDifferenceResponse } from '../restore-previews/restore-preview.response.js';

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
