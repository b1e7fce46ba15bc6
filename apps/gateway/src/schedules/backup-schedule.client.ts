import { Injectable } from '@nestjs/common';
import {
  BackupScheduleRpc,
  type BackupScheduleRef,
  type BackupSchedulePreview,
  type BackupScheduleView,
  type CreateBackupScheduleRequest,
  type DeleteBackupScheduleRequest,
  type ListBackupSchedulesRequest,
  type ListScheduleRunsRequest,
  type Page,
  type PreviewBackupScheduleRequest,
  type ScheduleRunView,
  type UpdateBackupScheduleRequest,
} from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

const SCHEDULE_NOT_FOUND = 'backup schedule not found in this tenant';

/**
 * run-service names a field by its place in the request message (`schedule.daysOfWeek: …`,
 * `schedule.policyTypes.0: …`); the HTTP caller sent it at the top of the body (`daysOfWeek`).
 */
async function withBodyFieldNames<T>(reply: Promise<T>): Promise<T> {
  try {
    return await reply;
  } catch (error) {
    if (!(error instanceof GatewayException) || error.code !== GatewayErrorCode.InvalidRequest || typeof error.detail !== 'string') throw error;
    throw GatewayException.invalidRequest(error.detail.replace(/(^|; )(schedule|changes)\./g, '$1'));
  }
}

/** run-service's schedule API (BackupScheduleRpc, queue group "run-service"). */
@Injectable()
export class BackupScheduleClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'run-service', timeoutMs: config.RUN_SERVICE_TIMEOUT_MS };
  }

  create(request: CreateBackupScheduleRequest): Promise<BackupScheduleView> {
    return withBodyFieldNames(this.rpc.request(this.service, { pattern: BackupScheduleRpc.create, payload: request }));
  }

  update(request: UpdateBackupScheduleRequest): Promise<BackupScheduleView> {
    return withBodyFieldNames(this.rpc.request(this.service, { pattern: BackupScheduleRpc.update, payload: request, notFound: SCHEDULE_NOT_FOUND }));
  }

  /** run-service answers with anything (or nothing) on success; the gateway answers 204. */
  async delete(request: DeleteBackupScheduleRequest): Promise<void> {
    await this.rpc.request<unknown>(this.service, { pattern: BackupScheduleRpc.delete, payload: request, notFound: SCHEDULE_NOT_FOUND, emptyReplyIsSuccess: true });
  }

  /** The next run times of a draft, computed by run-service's scheduler code. */
  preview(request: PreviewBackupScheduleRequest): Promise<BackupSchedulePreview> {
    return withBodyFieldNames(this.rpc.request(this.service, { pattern: BackupScheduleRpc.preview, payload: request }));
  }

  get(request: BackupScheduleRef): Promise<BackupScheduleView> {
    return this.rpc.request(this.service, { pattern: BackupScheduleRpc.get, payload: request, notFound: SCHEDULE_NOT_FOUND });
  }

  list(request: ListBackupSchedulesRequest): Promise<Page<BackupScheduleView>> {
    return this.rpc.request(this.service, { pattern: BackupScheduleRpc.list, payload: request });
  }

  listRuns(request: ListScheduleRunsRequest): Promise<Page<ScheduleRunView>> {
    return this.rpc.request(this.service, { pattern: BackupScheduleRpc.listRuns, payload: request, notFound: SCHEDULE_NOT_FOUND });
  }
}
