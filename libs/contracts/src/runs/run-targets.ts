// Target and scope of each run type. The target names the thing a run acts on (part of the
// de-duplication key as is); the scope narrows it (hashed into the key after normalisation).
import {
  ArrayMaxSize,
  IsBoolean,
  IsInt,
  Max,
  Min,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';

export const MAX_SELECTED_ITEMS = 5000;
const POLICY_TYPE_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{1,63}$/;

export class EmptyTarget {}
export class EmptyScope {}

export class PolicyTarget {
  @IsUUID('all')
  policyId: string;
}

export class BackupSetNameTarget {
  @IsString()
  @Length(1, 200)
  name: string;
}

/** An import: the backup set's name and the uploaded archive (an object of the imports bucket, named by this id). */
export class BackupSetImportTarget {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsUUID('all')
  uploadId: string;
}

export class BackupSetTarget {
  @IsUUID('all')
  backupSetId: string;
}

/** A restore writes into the run's tenant, from a backup set of that tenant or of another one. */
export class RestoreTarget {
  @IsUUID('all')
  backupSetId: string;

  /** Owner of the backup set when it is not the run's tenant (cross-tenant restore). */
  @IsOptional()
  @IsUUID('all')
  sourceTenantId?: string;
}

/** A drift check compares the live tenant with this backup set of the tenant, or with its latest complete one. */
export class DriftCheckTarget {
  @IsOptional()
  @IsUUID('all')
  backupSetId?: string;
}

export class BackupScheduleSlotTarget {
  @IsUUID('all')
  scheduleId: string;

  @IsISO8601({ strict: true })
  slot: string;
}

export class InventorySyncScope {
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(POLICY_TYPE_PATTERN, { each: true })
  policyTypes?: string[];
}

export class PolicySelectionScope {
  @IsOptional()
  @ArrayMaxSize(MAX_SELECTED_ITEMS)
  @IsUUID('all', { each: true })
  policyIds?: string[];

  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(POLICY_TYPE_PATTERN, { each: true })
  policyTypes?: string[];

  @IsOptional()
  @IsBoolean()
  includeFoundations?: boolean;
}

export class RestoreScope {
  @IsOptional()
  @ArrayMaxSize(MAX_SELECTED_ITEMS)
  @IsUUID('all', { each: true })
  backupItemIds?: string[];

  @IsOptional()
  @IsBoolean()
  includeAssignments?: boolean;

  /**
   * Conditional Access policies are restored in report-only (`enabledForReportingButNotEnforced`) instead of
   * `enabled` unless this is true: then each keeps the state it was captured in.
   */
  @IsOptional()
  @IsBoolean()
  keepConditionalAccessState?: boolean;

  /**
   * Also write the tenant-wide settings of the set (`tenantSettings` types such as the device management
   * settings). A live restore with it needs `confirmation.includeTenantSettings: true` as well; without
   * it those items are skipped with `tenant_settings_not_confirmed`.
   */
  @IsOptional()
  @IsBoolean()
  includeTenantSettings?: boolean;
}

/** What a schedule run does, copied from its schedule when the dispatcher starts it. */
export class BackupScheduleRunScope {
  @IsString()
  @Length(1, 200)
  scheduleName: string;

  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(POLICY_TYPE_PATTERN, { each: true })
  policyTypes?: string[];

  @IsOptional()
  @IsBoolean()
  includeFoundations?: boolean;

  @IsInt()
  @Min(1)
  @Max(1000)
  keepLast: number;
}

