import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ActiveRunsRequest,
  CancelRunRequest,
  GetRunRequest,
  LatestRunSummariesRequest,
  ListRunItemsRequest,
  ListRunsRequest,
  RunRpc,
  StartRunRequest,
  type ActiveRunsReply,
  type LatestRunSummariesReply,
  type Page,
  type RunItemView,
  type RunView,
  type StartRunReply,
} from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { CancelRunService } from '../runs/cancel-run.service.js';
import { RunQueriesService } from '../runs/run-queries.service.js';
import { StartRunService } from '../runs/start-run.service.js';

/** Request/reply API of run-service on core NATS (queue group "run-service": replicas share it). */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class RunRpcController {
  constructor(
    private readonly startRuns: StartRunService,
    private readonly queries: RunQueriesService,
    private readonly cancels: CancelRunService,
  ) {}

  @MessagePattern(RunRpc.start)
  start(@Payload() payload: unknown): Promise<StartRunReply> {
    return this.startRuns.start(parseRpcPayload(StartRunRequest, payload));
  }

  @MessagePattern(RunRpc.get)
  get(@Payload() payload: unknown): Promise<RunView> {
    return this.queries.get(parseRpcPayload(GetRunRequest, payload));
  }

  @MessagePattern(RunRpc.list)
  list(@Payload() payload: unknown): Promise<Page<RunView>> {
    return this.queries.list(parseRpcPayload(ListRunsRequest, payload));
  }

  @MessagePattern(RunRpc.cancel)
  cancel(@Payload() payload: unknown): Promise<RunView> {
    return this.cancels.cancel(parseRpcPayload(CancelRunRequest, payload));
  }

  @MessagePattern(RunRpc.latestSummaries)
  latestSummaries(@Payload() payload: unknown): Promise<LatestRunSummariesReply> {
    return this.queries.latestSummaries(parseRpcPayload(LatestRunSummariesRequest, payload));
  }

  @MessagePattern(RunRpc.activeRuns)
  activeRuns(@Payload() payload: unknown): Promise<ActiveRunsReply> {
    return this.queries.activeRuns(parseRpcPayload(ActiveRunsRequest, payload));
  }

  @MessagePattern(RunRpc.listItems)
  listItems(@Payload() payload: unknown): Promise<Page<RunItemView>> {
    return this.queries.listItems(parseRpcPayload(ListRunItemsRequest, payload));
  }
}
