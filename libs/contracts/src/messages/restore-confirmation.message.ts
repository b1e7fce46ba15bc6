import { IsBoolean, IsOptional, IsString, IsUUID, Length } from 'class-validator';

/**
 * How the operator confirmed a live restore, as they sent it: a succeeded preview of the same backup
 * set and scope, recent enough, or the tenant's display name typed back. run-service alone decides
 * whether it holds (the gateway forwards it with the tenant's display name).
 */
export class RestoreConfirmation {
  @IsOptional()
  @IsUUID('all')
  previewRunId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  tenantName?: string;

  /**
   * Repeats the scope's `includeTenantSettings`: a restore that overwrites tenant-wide settings is
   * confirmed for that explicitly, on top of the preview or the typed-back name.
   */
  @IsOptional()
  @IsBoolean()
  includeTenantSettings?: boolean;
}
