import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TenantRole, type RunView } from '@policyvault/contracts';
import { RunResponse } from '../runs/run.response.js';

/** The states a `tenant.verify_access` run records in its summary (`health`). */
export const TENANT_HEALTH_STATES = ['ok', 'missing_permissions', 'no_consent', 'unreachable'] as const;
export type TenantHealthState = (typeof TENANT_HEALTH_STATES)[number];

export class TenantHealthResponse {
  @ApiProperty({
    enum: TENANT_HEALTH_STATES,
    description: 'ok; missing_permissions (consented, but without some application permissions the policy types need); no_consent; unreachable.',
  })
  status: TenantHealthState;

  @ApiProperty({ type: [String], example: ['DeviceManagementApps.Read.All'] })
  missingPermissions: string[];

  @ApiProperty({ format: 'uuid', description: 'The tenant.verify_access run that found it.' })
  runId: string;

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;
}

export class TenantResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Contoso' })
  displayName: string;

  @ApiProperty({ format: 'uuid', description: "The customer's Entra directory id." })
  directoryId: string;

  @ApiProperty({ enum: TenantRole, enumName: 'TenantRole', description: "The caller's role in this tenant (owner for an MSP administrator)." })
  role: TenantRole;

  @ApiProperty({ type: [String], example: ['gold', 'eu'] })
  tags: string[];

  @ApiProperty({ format: 'date-time', nullable: true, description: 'When an administrator removed the tenant (no new runs; data kept); null while active.' })
  disabledAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({
    type: TenantHealthResponse,
    nullable: true,
    description: 'From the latest finished access check (tenant.verify_access); null until one finished, or when run-service did not answer.',
  })
  health: TenantHealthResponse | null;
}

export class TenantPageResponse {
  @ApiProperty({ type: [TenantResponse] })
  items: TenantResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class OnboardedTenantResponse {
  @ApiProperty({ type: TenantResponse })
  tenant: TenantResponse;

  @ApiProperty({
    example: 'https://login.microsoftonline.com/7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e601/adminconsent?client_id=…&redirect_uri=…',
    description: "The link the customer's global administrator opens to consent to the MSP's app in their directory.",
  })
  adminConsentUrl: string;

  @ApiProperty({
    type: RunResponse,
    nullable: true,
    description: 'The tenant.verify_access run onboarding started; null when run-service did not take it (start one with POST …/runs).',
  })
  accessCheckRun: RunView | null;
}

export class BulkRowErrorResponse {
  @ApiProperty({ example: 409, description: 'What the same row would have answered alone: 400, 404, 409, 502 or 503.' })
  statusCode: number;

  @ApiProperty({ example: 'directoryId: a tenant with this directory id exists' })
  message: string;
}

export class BulkOnboardingRowResponse {
  @ApiProperty({ example: 2, description: 'The line of the CSV body (the header is line 1).' })
  line: number;

  @ApiProperty({ enum: ['created', 'error'] })
  status: 'created' | 'error';

  @ApiPropertyOptional({ type: OnboardedTenantResponse })
  result?: OnboardedTenantResponse;

  @ApiPropertyOptional({ type: BulkRowErrorResponse })
  error?: BulkRowErrorResponse;
}

export class BulkOnboardingResponse {
  @ApiProperty()
  created: number;

  @ApiProperty()
  failed: number;

  @ApiProperty({ type: [BulkOnboardingRowResponse] })
  rows: BulkOnboardingRowResponse[];
}
