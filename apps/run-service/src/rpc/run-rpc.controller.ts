import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CancelRunRequest,
  GetRunRequest,
  ListRunItemsRequest,
  ListRunsRequest,
  RunRpc,
  StartRunRequest,
  type Page,
  type RunItemView,
  type RunView,
  type StartRunReply,
} from '@policyvault/contracts';
import { validateMessage } from '@policyvault/platform';
import { CancelRunService } from '../runs/cancel-run.service.js';
import { RunQueriesService } from '../runs/run-queries.service.js';
import { StartRunService } from '../runs/start-run.service.js';
import { RunServiceRpcExceptionFilter } from './rpc-exception.filter.js';
import { RunServiceError } from './run-service.error.js';

/** Request/reply API of run-service on core NATS (queue group "run-service": replicas share it). */
@Controller()
@UseFilters(RunServiceRpcExceptionFilter)
export class RunRpcController {
  constructor(
    private readonly startRuns: StartRunService,
    private readonly queries: RunQueriesService,
    private readonly cancels: CancelRunService,
  ) {}

  @MessagePattern(RunRpc.start)
  start(@Payload() payload: unknown): Promise<StartRunReply> {
    return this.startRuns.start(parse(StartRunRequest, payload));
  }

  @MessagePattern(RunRpc.get)
  get(@Payload() payload: unknown): Promise<RunView> {
    return this.queries.get(parse(GetRunRequest, payload));
  }

  @MessagePattern(RunRpc.list)
  list(@Payload() payload: unknown): Promise<Page<RunView>> {
    return this.queries.list(parse(ListRunsRequest, payload));
  }

  @MessagePattern(RunRpc.cancel)
  cancel(@Payload() payload: unknown): Promise<RunView> {
    return this.cancels.cancel(parse(CancelRunRequest, payload));
  }

  @MessagePattern(RunRpc.listItems)
  listItems(@Payload() payload: unknown): Promise<Page<RunItemView>> {
    return this.queries.listItems(parse(ListRunItemsRequest, payload));
  }
}

function parse<T extends object>(schema: new () => T, payload: unknown): T {
  const result = validateMessage(schema, payload);
  if (!result.ok) throw RunServiceError.validation(result.problems);
  return result.value;
}
