import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { FleetStatusRequest, RunRpc, RunStatusesRequest, type FleetStatusReply, type RunStatusesReply } from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { FleetStatusService } from './fleet-status.service.js';

/** The fleet's request/reply API (queue group "run-service"): many tenants or runs per request. */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class FleetRpcController {
  constructor(private readonly fleet: FleetStatusService) {}

  @MessagePattern(RunRpc.fleetStatus)
  status(@Payload() payload: unknown): Promise<FleetStatusReply> {
    return this.fleet.status(parseRpcPayload(FleetStatusRequest, payload));
  }

  @MessagePattern(RunRpc.statuses)
  statuses(@Payload() payload: unknown): Promise<RunStatusesReply> {
    return this.fleet.statuses(parseRpcPayload(RunStatusesRequest, payload));
  }
}
