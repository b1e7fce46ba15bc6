// The worker command consumer base on real JetStream: in-process Nest apps (one per "replica") whose
// handlers are scripted per run, so every consumer behaviour can be provoked and observed.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  RUN_COMMAND_SUBJECTS,
  RunItemStatus,
  RunRpc,
  RunStatus,
  RunType,
  runTypesOfWorker,
  WorkerEventSubjects,
  WorkerRunOutcome,
  workerEventSubject,
  type GetRunRequest,
  type RunCommand,
  type RunView,
} from '@policyvault/contracts';
import {
  CommandConsumerModule,
  CommandHandler,
  CommonConfig,
  NatsModule,
  Outcome,
  PlatformModule,
  type CommandContext,
  type ExhaustedMessage,
  type HandlerOutcome,
  type RejectedCommandRecorder,
  type RunCommandHandler,
} from '../src/index.js';
import { NATS_URL, createTestNats, waitFor, type TestNats } from '@policyvault/testing';

type Script = (command: RunCommand, context: CommandContext) => Promise<HandlerOutcome>;

/** What each run's handler does, and every call it got (run id → delivery counts and times). */
const scripts = new Map<string, Script>();
const calls = new Map<string, { deliveryCount: number; at: number }[]>();
const recorded: ExhaustedMessage[] = [];
const silent = { log() {}, error() {}, warn() {}, debug() {}, verbose() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function scripted(type: RunType): Type<RunCommandHandler> {
  @Injectable()
  @CommandHandler(type)
  class ScriptedHandler implements RunCommandHandler {
    handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome> {
      calls.set(command.runId, [...(calls.get(command.runId) ?? []), { deliveryCount: context.deliveryCount, at: Date.now() }]);
      return (scripts.get(command.runId) ?? (async () => Outcome.done()))(command, context);
    }
  }
  Object.defineProperty(ScriptedHandler, 'name', { value: `Scripted${type.replace(/[._]/g, '')}Handler` });
  return ScriptedHandler;
}

@Injectable()
class MemoryRecorder implements RejectedCommandRecorder {
  async record(message: ExhaustedMessage): Promise<void> {
    recorded.push(message);
  }
}

/** Every run type the capture-worker's slice carries (the registry says which). */
const CAPTURE_TYPES = runTypesOfWorker('capture-worker');

describe('command consumer base (real JetStream)', () => {
  let nats: TestNats;
  const apps: INestApplicationContext[] = [];

  /** The runs run-service knows (a stand-in answering `rpc.runs.get` as it does): every command published through `publish`. */
  const knownRuns = new Map<string, RunCommand>();
  /** Runs whose check the stand-in answers `unavailable` (run-service down), as long as they are listed. */
  const unavailableRuns = new Set<string>();

  beforeAll(async () => {
    nats = await createTestNats();
    nats.connection.subscribe(nats.names.subject(RunRpc.get), {
      callback: (_error, message) => {
        const { id, data } = message.json<{ id: string; data: GetRunRequest }>();
        if (unavailableRuns.delete(data.runId)) {
          message.respond(JSON.stringify({ id, err: { code: 'unavailable', message: 'run-service is not available' }, isDisposed: true }));
          return;
        }
        const run = knownRuns.get(data.runId);
        const found = run && run.tenantId === data.tenantId && (data.tenantDirectoryId === undefined || data.tenantDirectoryId === run.tenantDirectoryId);
        message.respond(
          JSON.stringify(found ? { id, response: runView(run), isDisposed: true } : { id, err: { code: 'not_found', message: 'run not found' }, isDisposed: true }),
        );
      },
    });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close().catch(() => undefined)));
    await nats?.close();
  });

  async function startReplica(handlers: Type<RunCommandHandler>[] = CAPTURE_TYPES.map(scripted), options: { shutdownGraceMs?: number } = {}) {
    const config = Object.assign(new CommonConfig(), { NATS_URL, NATS_NAMESPACE: nats.namespace, PORT: 0, LOG_LEVEL: 'silent' as const });
    @Module({ providers: handlers })
    class HandlersModule {}
    @Module({
      imports: [
        PlatformModule.forService('consumer-test', CommonConfig, config),
        NatsModule,
        HandlersModule,
        CommandConsumerModule.register(
          { durable: 'capture-worker', filterSubject: (names) => names.captureCommandFilter, concurrency: 2, maxDeliver: 3, ackWaitMs: 1500, shutdownGraceMs: options.shutdownGraceMs ?? 100 },
          MemoryRecorder,
        ),
      ],
    })
    class ReplicaModule {}
    const app = await Test.createTestingModule({ imports: [ReplicaModule] }).setLogger(silent).compile();
    try {
      await app.init();
    } catch (error) {
      await app.close(); // a replica that refused to boot still releases its NATS connection
      throw error;
    }
    apps.push(app);
    return app;
  }

  function command(type: RunType = RunType.PolicyCaptureSnapshot): RunCommand {
    return {
      runId: randomUUID(),
      tenantId: randomUUID(),
      tenantDirectoryId: 'directory-1',
      type,
      target: { policyId: randomUUID() },
      scope: {},
      initiator: { userId: randomUUID(), email: 'operator@contoso.test' },
      queuedAt: new Date().toISOString(),
    };
  }

  const publish = (value: RunCommand | string, type: RunType = RunType.PolicyCaptureSnapshot, { known = true } = {}) => {
    if (typeof value !== 'string' && known && !knownRuns.has(value.runId)) knownRuns.set(value.runId, value);
    return nats.js.publish(nats.names.subject(RUN_COMMAND_SUBJECTS[type]), typeof value === 'string' ? value : JSON.stringify(value));
  };
  const eventSubject = (event: (typeof WorkerEventSubjects)[keyof typeof WorkerEventSubjects]) => nats.names.subject(workerEventSubject(event, 'capture-worker'));

  async function commandsLeft(): Promise<number> {
    return (await nats.jsm.streams.info(nats.names.commandStream)).state.messages;
  }

  /** Every worker event of a run published so far, in stream order. */
  async function eventsOf(runId: string): Promise<{ subject: string; body: Record<string, unknown> }[]> {
    const { state } = await nats.jsm.streams.info(nats.names.workerEventStream);
    const events = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
      const message = await nats.jsm.streams.getMessage(nats.names.workerEventStream, { seq }).catch(() => null);
      if (!message) continue;
      const body = message.json<Record<string, unknown>>();
      if (body.runId === runId) events.push({ subject: message.subject, body });
    }
    return events;
  }

  it('refuses to boot when a capture run type has no handler, or two', async () => {
    const [, ...withoutInventory] = CAPTURE_TYPES;
    await expect(startReplica(withoutInventory.map(scripted))).rejects.toThrow(/inventory\.sync has no handler/);
    await expect(startReplica([...CAPTURE_TYPES.map(scripted), scripted(RunType.BackupSetCreate)])).rejects.toThrow(/backup_set\.create has more than one handler/);
    await expect(startReplica([...CAPTURE_TYPES.map(scripted), scripted(RunType.RestorePreview)])).rejects.toThrow(/restore\.preview, whose commands never reach this worker/);
  });

  describe('with one replica', () => {
    beforeAll(async () => {
      await startReplica();
    });

    it('acknowledges only after the events are durable, and heartbeats a command that outlives ack_wait', async () => {
      const run = command();
      let eventsBeforeAck = -1;
      scripts.set(run.runId, async (_command, context) => {
        await context.events.runStarted(1);
        await sleep(3500); // > 2 × ack_wait (1.5 s): only heartbeats keep the command from being redelivered
        await context.events.itemFinished({ itemKey: 'policy:1', status: RunItemStatus.Succeeded, outcome: 'captured' });
        await context.events.runFinished(WorkerRunOutcome.Completed, 1);
        eventsBeforeAck = (await eventsOf(run.runId)).length;
        return Outcome.done();
      });
      await publish(run);
      await waitFor(commandsLeft, (left) => left === 0, { timeoutMs: 10_000, what: 'the command to be acknowledged' });
      expect(eventsBeforeAck).toBe(3);
      expect((await eventsOf(run.runId)).map((event) => event.subject)).toEqual(
        [WorkerEventSubjects.runStarted, WorkerEventSubjects.itemFinished, WorkerEventSubjects.runFinished].map(eventSubject),
      );
      expect(calls.get(run.runId)).toHaveLength(1);
    });

    it('naks "retry later" with its delay; a throw is retried with backoff', async () => {
      const later = command();
      scripts.set(later.runId, async (_command, context) => (context.deliveryCount === 1 ? Outcome.retry(1200, 'tenant unavailable') : Outcome.done()));
      const throwing = command();
      scripts.set(throwing.runId, async (_command, context) => {
        if (context.deliveryCount === 1) throw new Error('database hiccup');
        return Outcome.done();
      });
      await publish(later);
      await publish(throwing);
      await waitFor(async () => [calls.get(later.runId)?.length, calls.get(throwing.runId)?.length], ([a, b]) => a === 2 && b === 2, { what: 'both redeliveries' });
      const [first, second] = calls.get(later.runId)!;
      expect(second.deliveryCount).toBe(2);
      expect(second.at - first.at).toBeGreaterThanOrEqual(1100);
      expect(second.at - first.at).toBeLessThan(1500 + 1000); // the nak delay, not ack_wait expiry
      await waitFor(commandsLeft, (left) => left === 0, { what: 'both commands acknowledged' });
    });

    it('records a command whose deliveries are exhausted and fails its run with a safe error', async () => {
      const run = command();
      scripts.set(run.runId, async () => Outcome.retry(100, 'tenant unavailable'));
      await publish(run);
      const finished = await waitFor(
        async () => (await eventsOf(run.runId)).find((event) => event.subject === eventSubject(WorkerEventSubjects.runFinished)),
        (event) => event !== undefined,
        { what: 'the run-finished event' },
      );
      expect(calls.get(run.runId)!.map((call) => call.deliveryCount)).toEqual([1, 2, 3]);
      expect(finished!.body).toMatchObject({ outcome: 'failed', itemCount: 0, error: { code: 'delivery_exhausted' } });
      expect(recorded.find((entry) => entry.data && JSON.parse(Buffer.from(entry.data).toString()).runId === run.runId)).toMatchObject({
        deliveryCount: 3,
        reason: expect.stringMatching(/^delivery attempts exhausted/),
      });
      await waitFor(commandsLeft, (left) => left === 0, { what: 'the command to be terminated' });
    });

    it('terminates and records an invalid payload (never handled, never redelivered); a known run fails', async () => {
      const before = recorded.length;
      await publish('{ not json');
      const malformed = { ...command(), initiator: { email: 'nobody' } } as unknown as RunCommand;
      await publish(malformed);
      const mismatched = command(RunType.InventorySync);
      await publish(mismatched, RunType.BackupSetCreate);
      await waitFor(async () => recorded.length - before, (count) => count === 3, { what: 'three recorded commands' });
      expect(recorded.slice(before).map((entry) => entry.reason)).toEqual(
        expect.arrayContaining(['payload is not JSON', expect.stringMatching(/^invalid command: initiator/), expect.stringMatching(/^command of type inventory\.sync on the backup_set\.create subject/)]),
      );
      for (const run of [malformed, mismatched]) {
        expect(calls.has(run.runId)).toBe(false);
        const events = await waitFor(() => eventsOf(run.runId), (found) => found.length === 1, { what: 'the failed run' });
        expect(events[0].body).toMatchObject({ outcome: 'failed', error: { code: 'invalid_command' } });
      }
      await waitFor(commandsLeft, (left) => left === 0, { what: 'the commands to be terminated' });
    });

    it('waits while run-service cannot answer the run check: the command is handled once it can, never before', async () => {
      const run = command();
      unavailableRuns.add(run.runId);
      await publish(run);
      await waitFor(async () => calls.get(run.runId)?.length ?? 0, (count) => count === 1, { what: 'the command handled after the check' });
      expect(calls.get(run.runId)!.map((call) => call.deliveryCount)).toEqual([2]);
      await waitFor(commandsLeft, (left) => left === 0, { what: 'the command acknowledged' });
    });

    it('refuses a command run-service did not queue for its run (no such run, other tenant, directory, type or target): recorded once, never handled, no run ended', async () => {
      const before = recorded.length;
      const genuine = command(RunType.BackupSetCreate);
      knownRuns.set(genuine.runId, genuine);
      const forged: RunCommand[] = [
        command(RunType.InventorySync),
        { ...genuine, tenantId: randomUUID() },
        { ...genuine, tenantDirectoryId: 'directory-of-another-customer' },
        { ...genuine, type: RunType.InventorySync },
        { ...genuine, target: { name: 'another set' } },
      ];
      for (const value of forged) await publish(value, value.type, { known: false });
      await waitFor(async () => recorded.length - before, (count) => count === forged.length, { what: 'the forged commands recorded' });
      await waitFor(commandsLeft, (left) => left === 0, { what: 'the forged commands terminated' });
      const reasons = recorded.slice(before).map((entry) => entry.reason);
      expect(reasons.filter((reason) => /^command refused: not its run: run \S+ does not exist in tenant/.test(reason))).toHaveLength(3);
      expect(reasons).toEqual(
        expect.arrayContaining([
          `command refused: not its run: run ${genuine.runId} does not exist in tenant ${genuine.tenantId} (directory directory-of-another-customer)`,
          `command refused: not its run: run ${genuine.runId} has another type`,
          `command refused: not its run: run ${genuine.runId} has another target`,
        ]),
      );
      expect(recorded.slice(before).map((entry) => entry.deliveryCount)).toEqual(forged.map(() => 1));
      for (const value of forged) expect(calls.has(value.runId)).toBe(false);
      // Nothing was published for them: the genuine run is not ended by a forgery of its command.
      expect(await eventsOf(genuine.runId)).toEqual([]);
      expect(await eventsOf(forged[0].runId)).toEqual([]);
    });
  });

  it('on shutdown hands running commands back at once, and another replica finishes them', async () => {
    // Start clean: the replica of the previous tests goes away first.
    await Promise.all(apps.splice(0).map((app) => app.close()));
    const replicaA = await startReplica(undefined, { shutdownGraceMs: 200 });
    // replica A takes the command (the only replica); B starts once A holds it, then A stops.
    const run = command();
    scripts.set(run.runId, async (_command, context) => {
      if (context.deliveryCount > 1) return Outcome.done();
      // A long job that stops between items when the worker shuts down.
      while (!context.signal.aborted) await sleep(50);
      return Outcome.retry(0, 'shutting down');
    });
    await publish(run);
    await waitFor(async () => calls.get(run.runId)?.length ?? 0, (count) => count === 1, { what: 'the first delivery' });
    await startReplica();
    const closedAt = Date.now();
    await replicaA.close();
    apps.splice(apps.indexOf(replicaA), 1);
    await waitFor(async () => calls.get(run.runId)?.length ?? 0, (count) => count === 2, { what: 'the redelivery to the other replica' });
    expect(calls.get(run.runId)![1].deliveryCount).toBe(2);
    // Released with a nak as the replica stopped, not left to ack_wait (1.5 s) after it disappeared.
    expect(calls.get(run.runId)![1].at - closedAt).toBeLessThan(1000);
    await waitFor(commandsLeft, (left) => left === 0, { what: 'the command acknowledged by the second replica' });
  });
});

/** The run as run-service's `rpc.runs.get` shows it: queued, as its command says. */
function runView(command: RunCommand): RunView {
  return {
    id: command.runId,
    tenantId: command.tenantId,
    type: command.type,
    target: command.target,
    scope: command.scope,
    status: RunStatus.Queued,
    counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 },
    initiator: command.initiator,
    summary: null,
    error: null,
    cancelRequested: false,
    queuedAt: command.queuedAt,
    startedAt: null,
    finishedAt: null,
  };
}
