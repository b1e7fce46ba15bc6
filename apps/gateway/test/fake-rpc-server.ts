// A stand-in for a service the gateway calls (run-service, capture-worker) in integration tests: a
// real Nest microservice on the real NATS transport (same namespace, same queue group) answering
// the given patterns, each as the test chooses, and recording what it was sent.
import 'reflect-metadata';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, RpcException } from '@nestjs/microservices';
import { RpcErrorCode, type RpcErrorBody } from '@policyvault/contracts';
import { NamespacedNatsServer } from '@policyvault/platform';
import { NATS_URL } from '@policyvault/testing';

export type FakeAnswer =
  | { reply: unknown }
  | { error: RpcErrorBody }
  | { delayMs: number; reply: unknown }
  | { replyTo: (payload: Record<string, unknown>) => unknown };

export class FakeRpcState {
  readonly calls: { pattern: string; payload: Record<string, unknown> }[] = [];
  private readonly answers = new Map<string, FakeAnswer>();

  answer(pattern: string, answer: FakeAnswer): void {
    this.answers.set(pattern, answer);
  }

  reset(): void {
    this.calls.length = 0;
    this.answers.clear();
  }

  async handle(pattern: string, payload: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ pattern, payload });
    const answer = this.answers.get(pattern);
    if (!answer) throw new RpcException({ code: RpcErrorCode.Internal, message: `no answer set for ${pattern}` });
    if ('error' in answer) throw new RpcException(answer.error);
    if ('replyTo' in answer) return answer.replyTo(payload);
    if ('delayMs' in answer) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return answer.reply;
  }
}

export interface FakeRpcServer {
  state: FakeRpcState;
  close(): Promise<void>;
}

/** A controller with one @MessagePattern handler per pattern, each passing its payload to the state. */
function controllerFor(patterns: readonly string[], state: FakeRpcState): new () => object {
  @Controller()
  class FakeRpcController {}
  for (const pattern of patterns) {
    const handler = (payload: Record<string, unknown>) => state.handle(pattern, payload);
    Object.defineProperty(FakeRpcController.prototype, pattern, { value: handler });
    MessagePattern(pattern)(FakeRpcController.prototype, pattern, Object.getOwnPropertyDescriptor(FakeRpcController.prototype, pattern)!);
  }
  return FakeRpcController;
}

/** Serves `patterns` (e.g. Object.values(RunRpc)) in `queue`, like the real service's replicas. */
export async function startFakeRpcServer(namespace: string, queue: string, patterns: readonly string[]): Promise<FakeRpcServer> {
  const state = new FakeRpcState();
  @Module({ controllers: [controllerFor(patterns, state)] })
  class FakeRpcModule {}
  const app: INestMicroservice = await NestFactory.createMicroservice(FakeRpcModule, {
    strategy: new NamespacedNatsServer(namespace, { servers: NATS_URL, queue }),
    logger: false,
  });
  await app.listen();
  return { state, close: () => app.close() };
}
