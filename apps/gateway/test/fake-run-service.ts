// A stand-in for run-service in gateway integration tests: a real Nest microservice on the real
// NATS transport (same namespace, same queue group), whose answers each test chooses.
import 'reflect-metadata';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { RunRpc, RunStatus, RunType, type RpcErrorBody, type RunView } from '@policyvault/contracts';
import { NamespacedNatsServer } from '@policyvault/platform';
import { NATS_URL } from '@policyvault/testing';

type Pattern = (typeof RunRpc)[keyof typeof RunRpc];
export type FakeAnswer = { reply: unknown } | { error: RpcErrorBody } | { delayMs: number; reply: unknown };

export class FakeRunServiceState {
  readonly calls: { pattern: Pattern; payload: Record<string, unknown> }[] = [];
  private readonly answers = new Map<Pattern, FakeAnswer>();

  answer(pattern: Pattern, answer: FakeAnswer): void {
    this.answers.set(pattern, answer);
  }

  reset(): void {
    this.calls.length = 0;
    this.answers.clear();
  }

  async handle(pattern: Pattern, payload: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ pattern, payload });
    const answer = this.answers.get(pattern);
    if (!answer) throw new RpcException({ code: 'internal_error', message: `no answer set for ${pattern}` });
    if ('error' in answer) throw new RpcException(answer.error);
    if ('delayMs' in answer) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return answer.reply;
  }
}

const STATE = Symbol('FAKE_RUN_SERVICE_STATE');

@Controller()
class FakeRunServiceController {
  constructor(@Inject(STATE) private readonly state: FakeRunServiceState) {}

  @MessagePattern(RunRpc.start)
  start(@Payload() payload: Record<string, unknown>) {
    return this.state.handle(RunRpc.start, payload);
  }

  @MessagePattern(RunRpc.get)
  get(@Payload() payload: Record<string, unknown>) {
    return this.state.handle(RunRpc.get, payload);
  }

  @MessagePattern(RunRpc.list)
  list(@Payload() payload: Record<string, unknown>) {
    return this.state.handle(RunRpc.list, payload);
  }

  @MessagePattern(RunRpc.listItems)
  listItems(@Payload() payload: Record<string, unknown>) {
    return this.state.handle(RunRpc.listItems, payload);
  }
}

export interface FakeRunService {
  state: FakeRunServiceState;
  close(): Promise<void>;
}

export async function startFakeRunService(namespace: string): Promise<FakeRunService> {
  const state = new FakeRunServiceState();
  @Module({ controllers: [FakeRunServiceController], providers: [{ provide: STATE, useValue: state }] })
  class FakeRunServiceModule {}
  const app: INestMicroservice = await NestFactory.createMicroservice(FakeRunServiceModule, {
    strategy: new NamespacedNatsServer(namespace, { servers: NATS_URL, queue: 'run-service' }),
    logger: false,
  });
  await app.listen();
  return { state, close: () => app.close() };
}

export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    id: '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b',
    tenantId: '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01',
    type: RunType.InventorySync,
    target: {},
    scope: {},
    status: RunStatus.Queued,
    counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 },
    initiator: { userId: '5d1b7a10-0000-4000-8000-000000000001', email: 'owner@contoso.test' },
    summary: null,
    error: null,
    cancelRequested: false,
    queuedAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}
