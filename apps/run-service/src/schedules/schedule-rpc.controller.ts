import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuditRpc,
  BackupScheduleRef,
  BackupScheduleRpc,
  CreateBackupScheduleRequest,
  DeleteBackupScheduleRequest,
  DispatchSchedulesRequest,
  ListAuditEventsRequest,
  ListBackupSchedulesRequest,
  ListScheduleRunsRequest,
  PreviewBackupScheduleRequest,
  RpcErrorCode,
  UpdateBackupScheduleRequest,
  type AuditEventView,
  type BackupSchedulePreview,
  type BackupScheduleView,
  type DispatchSchedulesReply,
  type Page,
  type ScheduleRunView,
} from '@policyvault/contracts';
import { RpcException, RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { TenantPurgeService } from '../tenants/tenant-purge.service.js';
import { AuditService } from '../audit/audit.service.js';
import { BackupSchedulesService } from './backup-schedules.service.js';
import { ScheduleDispatcher } from './schedule-dispatcher.service.js';
import { DispatcherClock } from './dispatcher-clock.js';

/** Backup schedules and audit events over NATS request/reply (queue group "run-service"). */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class ScheduleRpcController {
  constructor(
    private readonly schedules: BackupSchedulesService,
    private readonly dispatcher: ScheduleDispatcher,
    private readonly clock: DispatcherClock,
    private readonly audit: AuditService,
    private readonly purge: TenantPurgeService,
  ) {}

  @MessagePattern(BackupScheduleRpc.create)
  create(@Payload() payload: unknown): Promise<BackupScheduleView> {
    return this.schedules.create(parseRpcPayload(CreateBackupScheduleRequest, payload));
  }

  @MessagePattern(BackupScheduleRpc.update)
  update(@Payload() payload: unknown): Promise<BackupScheduleView> {
    return this.schedules.update(parseRpcPayload(UpdateBackupScheduleRequest, payload));
  }

  @MessagePattern(BackupScheduleRpc.delete)
  async delete(@Payload() payload: unknown): Promise<{ deleted: true }> {
    await this.schedules.delete(parseRpcPayload(DeleteBackupScheduleRequest, payload));
    return { deleted: true };
  }

  @MessagePattern(BackupScheduleRpc.get)
  get(@Payload() payload: unknown): Promise<BackupScheduleView> {
    return this.schedules.get(parseRpcPayload(BackupScheduleRef, payload));
  }

  @MessagePattern(BackupScheduleRpc.list)
  list(@Payload() payload: unknown): Promise<Page<BackupScheduleView>> {
    return this.schedules.list(parseRpcPayload(ListBackupSchedulesRequest, payload));
  }

  @MessagePattern(BackupScheduleRpc.listRuns)
  listRuns(@Payload() payload: unknown): Promise<Page<ScheduleRunView>> {
    return this.schedules.listRuns(parseRpcPayload(ListScheduleRunsRequest, payload));
  }

  @MessagePattern(BackupScheduleRpc.preview)
  preview(@Payload() payload: unknown): BackupSchedulePreview {
    return this.schedules.preview(parseRpcPayload(PreviewBackupScheduleRequest, payload));
  }

  @MessagePattern(BackupScheduleRpc.dispatch)
  async dispatch(@Payload() payload: unknown): Promise<DispatchSchedulesReply> {
    if (!this.clock.manual) throw new RpcException(RpcErrorCode.Forbidden, 'dispatch on demand needs SCHEDULER_CLOCK=manual');
    const { now } = parseRpcPayload(DispatchSchedulesRequest, payload);
    const instant = new Date(now);
    if (Number.isNaN(instant.getTime())) throw RpcException.validation(['now: must be an ISO 8601 instant']);
    this.clock.set(instant);
    // One scheduler tick as the timer runs it, but a failure answers the caller.
    const reply = await this.dispatcher.dispatch(instant);
    await this.purge.purgeDue(instant);
    return reply;
  }

  @MessagePattern(AuditRpc.list)
  listAuditEvents(@Payload() payload: unknown): Promise<Page<AuditEventView>> {
    return this.audit.list(parseRpcPayload(ListAuditEventsRequest, payload));
  }
}
