import { IsBoolean, IsOptional, IsUUID } from 'class-validator';

/**
 * A live restore needs an explicit confirmation: a succeeded preview of the same backup set and
 * scope, recent enough (run-service checks it), or the tenant's display name typed back (the gateway
 * checks it and says so with `tenantNameConfirmed`).
 */
export class RestoreConfirmation {
  @IsOptional()
  @IsUUID('all')
  previewRunId?: string;

  @IsOptional()
  @IsBoolean()
  tenantNameConfirmed?: boolean;
}
