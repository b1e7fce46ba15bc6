// OpenAPI descriptions of the run views run-service returns (libs/contracts RunView, RunItemView, Page).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RunItemStatus, RunStatus, RunType, SafeErrorCode } from '@policyvault/contracts';

export class SafeErrorResponse {
  @ApiProperty({ enum: SafeErrorCode, enumName: 'SafeErrorCode' })
  code: SafeErrorCode;

  @ApiProperty()
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'httpStatus, graphErrorCode, requestId, retryAfterSeconds, policyType' })
  context?: Record<string, string | number>;
}

export class RunCountsResponse {
  @ApiProperty() total: number;
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
  @ApiProperty() skipped: number;
}

export class RunInitiatorResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
}

export class RunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ enum: RunType, enumName: 'RunType' }) type: RunType;
  @ApiProperty({ type: 'object', additionalProperties: true }) target: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) scope: Record<string, unknown>;
  @ApiProperty({ enum: RunStatus, enumName: 'RunStatus' }) status: RunStatus;
  @ApiProperty({ type: RunCountsResponse }) counts: RunCountsResponse;
  @ApiProperty({ type: RunInitiatorResponse }) initiator: RunInitiatorResponse;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) summary: Record<string, unknown> | null;
  @ApiProperty({ type: SafeErrorResponse, nullable: true }) error: SafeErrorResponse | null;
  @ApiProperty() cancelRequested: boolean;
  @ApiProperty({ format: 'date-time' }) queuedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class StartRunResponse {
  @ApiProperty({ type: RunResponse }) run: RunResponse;

  @ApiProperty({ description: 'True when an active run with the same type, target and scope was returned instead of a new one.' })
  reused: boolean;
}

export class RunPageResponse {
  @ApiProperty({ type: [RunResponse] }) items: RunResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class RunItemResponse {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ example: 'policy:5b1c…' }) itemKey: string;
  @ApiProperty({ enum: RunItemStatus, enumName: 'RunItemStatus' }) status: RunItemStatus;
  @ApiProperty({ type: String, nullable: true }) label: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ type: SafeErrorResponse, nullable: true }) error: SafeErrorResponse | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) result: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) finishedAt: string;
}

export class RunItemPageResponse {
  @ApiProperty({ type: [RunItemResponse] }) items: RunItemResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
