import { Injectable } from '@nestjs/common';
import { DriftRpc, type DriftReportPage, type DriftReportView, type GetDriftReportRequest, type ListDriftReportsRequest, type Page } from '@policyvault/contracts';
import { GatewayConfig } from '../gateway.config.js';
import { NatsRpcClient, type RpcService } from '../rpc/nats-rpc.client.js';

/** The restore-worker's drift report API (DriftRpc, queue group "restore-worker"). */
@Injectable()
export class DriftReportsClient {
  private readonly service: RpcService;

  constructor(
    private readonly rpc: NatsRpcClient,
    config: GatewayConfig,
  ) {
    this.service = { name: 'restore-worker', timeoutMs: config.RESTORE_WORKER_TIMEOUT_MS };
  }

  listReports(request: ListDriftReportsRequest): Promise<Page<DriftReportView>> {
    return this.rpc.request(this.service, { pattern: DriftRpc.listReports, payload: request });
  }

  getReport(request: GetDriftReportRequest): Promise<DriftReportPage> {
    return this.rpc.request(this.service, { pattern: DriftRpc.getReport, payload: request, notFound: 'drift report not found in this tenant' });
  }
}
