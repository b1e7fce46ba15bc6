// The SSE benchmark's clients: BENCH_CLIENTS live views of one tenant, read on an event loop of their own (a worker
// thread, `sse-clients.worker.ts`) or on the harness's (BENCH_CLIENTS_ON=harness, as before 2026-12-03).
//
// The harness's main thread starts 200 runs through the gateway and publishes ~1,400 worker events as fast as it
// can; when it also read the 100 sockets, its own stalls (event-loop delay p99 42–69 ms) were inside every measured
// lag. On their own loop the clients only read: an event is stamped when that loop reads its chunk, as a browser on
// another machine would, and the loop's own delay is reported next to the lags.
import { Worker } from 'node:worker_threads';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { openSse, type SseConnection } from '@policyvault/testing';

export interface SseClientsSetup {
  url: string;
  token: string;
  clients: number;
}

/** One run-status event one client read (kind and run from its JSON). */
export interface ClientDelivery {
  clientIndex: number;
  seq: number;
  receivedAt: number;
  kind: 'transition' | 'progress';
  runId: string;
}

/** The event loop that read the sockets, over the measured wave. */
export interface ClientsLoop {
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  utilization: number;
}

export interface SseClients {
  /** Resolves once every client has read every run's `succeeded` event. */
  awaitEnds(runIds: string[], timeoutMs: number): Promise<void>;
  /** Starts watching the reading loop's delay (the measured wave). */
  startMeasure(): Promise<void>;
  /** Every client's run-status events of `runIds`, and the reading loop's delay since `startMeasure`. */
  report(runIds: string[]): Promise<{ deliveries: ClientDelivery[]; clientsLoop: ClientsLoop }>;
  close(): Promise<void>;
}

interface ParsedStatus {
  runId: string;
  kind: 'transition' | 'progress';
  status: string;
}

/** The clients, read on the loop that created them. */
export class LocalSseClients implements SseClients {
  /** Per client, how far its events were looked at for ends, and the runs it has seen succeed. */
  private readonly ends = new Map<SseConnection, { read: number; succeeded: Set<string> }>();
  private loopDelay: IntervalHistogram | undefined;
  private utilizationAtStart: ReturnType<typeof performance.eventLoopUtilization> | undefined;

  private constructor(private readonly clients: SseConnection[]) {}

  static async open({ url, token, clients: count }: SseClientsSetup): Promise<LocalSseClients> {
    const clients: SseConnection[] = [];
    for (let index = 0; index < count; index += 1) clients.push(await openSse(url, { token }));
    const refused = clients.find((client) => client.status !== 200);
    if (refused) throw new Error(`the gateway answered ${refused.status} to a live view: ${JSON.stringify(refused.errorBody)}`);
    await Promise.all(clients.map((client) => client.waitFor((events) => events.length >= 1, 30_000, 'the snapshot')));
    return new LocalSseClients(clients);
  }

  /**
   * The runs a client has seen succeed. Each event is looked at once, and only an end is parsed: this runs every
   * 500 ms on the loop that reads the sockets, so its stalls would be inside the measured lags.
   */
  private succeededOf(client: SseConnection): Set<string> {
    const state = this.ends.get(client) ?? { read: 0, succeeded: new Set<string>() };
    for (; state.read < client.events.length; state.read += 1) {
      const { event, data } = client.events[state.read];
      if (event === 'run-status' && data.includes('"status":"succeeded"')) state.succeeded.add((JSON.parse(data) as ParsedStatus).runId);
    }
    this.ends.set(client, state);
    return state.succeeded;
  }

  async awaitEnds(runIds: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = this.clients.filter((client) => {
        const succeeded = this.succeededOf(client);
        return runIds.some((runId) => !succeeded.has(runId));
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${behind.length} clients still missing terminal events after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  startMeasure(): Promise<void> {
    this.loopDelay = monitorEventLoopDelay({ resolution: 5 });
    this.loopDelay.enable();
    this.utilizationAtStart = performance.eventLoopUtilization();
    return Promise.resolve();
  }

  report(runIds: string[]): Promise<{ deliveries: ClientDelivery[]; clientsLoop: ClientsLoop }> {
    const delay = this.loopDelay;
    delay?.disable();
    const ids = new Set(runIds);
    const deliveries = this.clients.flatMap((client, clientIndex) =>
      client.events
        .filter((event) => event.event === 'run-status')
        .map(({ id, data, receivedAt }) => {
          const { kind, runId } = JSON.parse(data) as ParsedStatus;
          return { clientIndex, seq: Number(id), receivedAt, kind, runId };
        })
        .filter((delivery) => ids.has(delivery.runId)),
    );
    const ms = (nanoseconds: number | undefined) => Number(((nanoseconds ?? 0) / 1e6).toFixed(1));
    const clientsLoop = {
      delayP50Ms: ms(delay?.percentile(50)),
      delayP99Ms: ms(delay?.percentile(99)),
      delayMaxMs: ms(delay?.max),
      utilization: Number(performance.eventLoopUtilization(this.utilizationAtStart).utilization.toFixed(2)),
    };
    return Promise.resolve({ deliveries, clientsLoop });
  }

  close(): Promise<void> {
    for (const client of this.clients) client.close();
    return Promise.resolve();
  }
}

/** What the harness asks the worker thread, one request at a time. */
export type SseClientsRequest =
  | { kind: 'awaitEnds'; runIds: string[]; timeoutMs: number }
  | { kind: 'startMeasure' }
  | { kind: 'report'; runIds: string[] }
  | { kind: 'close' };

export type SseClientsReply = { ok: true; value?: unknown } | { ok: false; message: string };

/** The clients in a worker thread (`sse-clients.worker.js`), asked through messages. */
export class ThreadSseClients implements SseClients {
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(private readonly worker: Worker) {}

  static async open(setup: SseClientsSetup): Promise<ThreadSseClients> {
    const worker = new Worker(new URL('./sse-clients.worker.js', import.meta.url), { workerData: setup });
    const clients = new ThreadSseClients(worker);
    await clients.nextReply();
    return clients;
  }

  /** The worker's next reply: its value, or its error thrown here. */
  private nextReply<T>(): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the SSE clients' thread exited (${code})`));
      this.worker.once('exit', onExit);
      this.worker.once('error', reject);
      this.worker.once('message', (reply: SseClientsReply) => {
        this.worker.off('exit', onExit);
        this.worker.off('error', reject);
        if (reply.ok) resolve(reply.value as T);
        else reject(new Error(reply.message));
      });
    });
  }

  private ask<T>(request: SseClientsRequest): Promise<T> {
    const answer = this.pending.then(() => {
      const reply = this.nextReply<T>();
      this.worker.postMessage(request);
      return reply;
    });
    this.pending = answer.catch(() => undefined);
    return answer;
  }

  awaitEnds(runIds: string[], timeoutMs: number): Promise<void> {
    return this.ask({ kind: 'awaitEnds', runIds, timeoutMs });
  }

  startMeasure(): Promise<void> {
    return this.ask({ kind: 'startMeasure' });
  }

  report(runIds: string[]): Promise<{ deliveries: ClientDelivery[]; clientsLoop: ClientsLoop }> {
    return this.ask({ kind: 'report', runIds });
  }

  async close(): Promise<void> {
    await this.ask({ kind: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}

/** The clients spread over several groups (threads), reported as one: client indexes run on across groups. */
export class SplitSseClients implements SseClients {
  constructor(private readonly groups: SseClients[]) {}

  async awaitEnds(runIds: string[], timeoutMs: number): Promise<void> {
    await Promise.all(this.groups.map((group) => group.awaitEnds(runIds, timeoutMs)));
  }

  async startMeasure(): Promise<void> {
    await Promise.all(this.groups.map((group) => group.startMeasure()));
  }

  /** Every group's deliveries; the loop figures of the group whose delay p99 was worst. */
  async report(runIds: string[]): Promise<{ deliveries: ClientDelivery[]; clientsLoop: ClientsLoop }> {
    const reports = await Promise.all(this.groups.map((group) => group.report(runIds)));
    let offset = 0;
    const deliveries = reports.flatMap(({ deliveries: ofGroup }) => {
      const shifted = ofGroup.map((delivery) => ({ ...delivery, clientIndex: delivery.clientIndex + offset }));
      offset += Math.max(0, ...ofGroup.map((delivery) => delivery.clientIndex + 1));
      return shifted;
    });
    const worst = reports.map(({ clientsLoop }) => clientsLoop).sort((a, b) => b.delayP99Ms - a.delayP99Ms)[0];
    return { deliveries, clientsLoop: worst };
  }

  async close(): Promise<void> {
    await Promise.all(this.groups.map((group) => group.close()));
  }
}
