import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DriftRpc, GetDriftReportRequest, ListDriftReportsRequest, type DriftReportPage, type DriftReportView, type Page } from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { DriftQueriesService } from './drift-queries.service.js';

/** DriftRpc on core NATS (queue group "restore-worker": replicas share it), for the gateway. */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class DriftRpcController {
  constructor(private readonly queries: DriftQueriesService) {}

  @MessagePattern(DriftRpc.listReports)
  listReports(@Payload() payload: unknown): Promise<Page<DriftReportView>> {
    return this.queries.listReports(parseRpcPayload(ListDriftReportsRequest, payload));
  }

  @MessagePattern(DriftRpc.getReport)
  getReport(@Payload() payload: unknown): Promise<DriftReportPage> {
    return this.queries.getReport(parseRpcPayload(GetDriftReportRequest, payload));
  }
}
