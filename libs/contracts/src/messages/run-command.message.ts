// The command run-service puts on the command stream for a worker (subject from RUN_COMMAND_SUBJECTS).
import { Type } from 'class-transformer';
import { IsEnum, IsISO8601, IsObject, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { RunType } from '../runs/run-type.js';
import { RunInitiatorMessage } from './run-rpc.messages.js';

export class RunCommand {
  @IsUUID('all')
  runId: string;

  @IsUUID('all')
  tenantId: string;

  @IsString()
  @Length(1, 100)
  tenantDirectoryId: string;

  @IsEnum(RunType)
  type: RunType;

  @IsObject()
  target: Record<string, unknown>;

  @IsObject()
  scope: Record<string, unknown>;

  @ValidateNested()
  @Type(() => RunInitiatorMessage)
  initiator: RunInitiatorMessage;

  @IsISO8601()
  queuedAt: string;
}
