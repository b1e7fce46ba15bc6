// What goes wrong during the load: SIGKILLs spread over every service (the other replica always up),
// one `kill -9` of NATS, one immediate stop of Postgres, policies deleted in Graph (so restores create
// and listings change under running backups), and poison messages on every stream, with JetStream's
// terminated / max-deliveries advisories counted per consumer.
import type { Subscription } from '@nats-io/transport-node';
import { WorkerEventSubjects } from '@policyvault/contracts';
import { CHAOS_SERVICES, type ChaosCluster, type ChaosInstance, type ChaosService } from './chaos-cluster.js';
import { CHAOS_POLICY_TYPES, CHAOS_TENANTS } from './chaos-load.js';
import { ChaosRandom, sleep } from './chaos-random.js';

/** The Postgres schema whose `rejected_messages` a service writes. */
export const SERVICE_SCHEMAS: Record<ChaosService, string> = {
  gateway: 'gateway',
  'run-service': 'run_service',
  'capture-worker': 'capture',
  'restore-worker': 'restore',
  notifier: 'notifier',
};

export interface Window {
  from: number;
  to: number;
}

export interface FaultFigures {
  kills: { instance: string; at: number; restartDelayMs: number }[];
  restartsFailed: string[];
  natsOutage?: Window;
  postgresOutage?: Window;
  /** Graph objects deleted behind the system's back: (directory id, name) → how many times. */
  deletions: Map<string, number>;
  poisons: { marker: string; kind: PoisonKind; subject: string; consumers: ChaosService[] }[];
  /** Distinct (consumer, stream sequence) JetStream gave up on: terminated or deliveries exhausted. */
  droppedByService: Map<ChaosService, Set<string>>;
}

/** The malformed messages of issue 14: a wrong shape, no JSON at all, a NUL byte, nesting deep enough to hurt a validator. */
const POISON_KINDS = ['shape', 'text', 'nul', 'nested'] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/** Each carries its marker within the first 10,000 characters (what `rejected_messages` keeps). */
function poisonPayload(kind: PoisonKind, marker: string): string {
  switch (kind) {
    case 'shape':
      return JSON.stringify({ chaosPoison: marker });
    case 'text':
      return `not json ${marker}`;
    case 'nul':
      return `${JSON.stringify({ chaosPoison: marker })}\u0000`;
    case 'nested':
      return `{"chaosPoison":"${marker}","a":${'{"a":'.repeat(5000)}1${'}'.repeat(5001)}`;
  }
}

export const deletionKey = (directoryId: string, name: string) => `${directoryId}\u0000${name}`;

const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));

export class ChaosFaults {
  readonly figures: FaultFigures = {
    kills: [],
    restartsFailed: [],
    deletions: new Map(),
    poisons: [],
    droppedByService: new Map(CHAOS_SERVICES.map((service) => [service, new Set<string>()])),
  };
  private readonly restarts: Promise<void>[] = [];
  private advisories: Subscription[] = [];
  private stopped = false;
  private postgresStopping = false;

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly graphUrl: string,
    private readonly random: ChaosRandom,
  ) {}

  /** Counts what JetStream gives up on, per service, from its advisories (before any poison is sent). */
  watchAdvisories(): void {
    for (const kind of ['MSG_TERMINATED', 'MAX_DELIVERIES']) {
      this.advisories.push(
        this.cluster.connection.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.${kind}.>`, {
          callback: (error, message) => {
            if (error) return;
            const advisory = message.json<{ stream: string; consumer: string; stream_seq: number }>();
            const service = CHAOS_SERVICES.find((candidate) => advisory.consumer === candidate || advisory.consumer.startsWith(`${candidate}-`));
            if (service) this.figures.droppedByService.get(service)!.add(`${advisory.stream}/${advisory.consumer}/${advisory.stream_seq}`);
          },
        }),
      );
    }
  }

  /**
   * Every fault of the run, on a schedule over `durationMs` from `began`: kills spread evenly (services
   * in turn, so each is hit), the NATS kill at 35 %, the Postgres stop at 65 %, deletions and poison
   * messages throughout. Resolves once every killed process is back.
   */
  async run(options: {
    began: number;
    durationMs: number;
    kills: number;
    maxRestartDelayMs: number;
    natsKill: boolean;
    natsDownMs: number;
    postgresStop: boolean;
    postgresDownMs: number;
    poisonMessages: number;
  }): Promise<void> {
    const { began, durationMs } = options;
    await Promise.all([
      this.killPlan(options),
      options.natsKill ? this.natsOutage(began + durationMs * 0.35, options.natsDownMs) : undefined,
      options.postgresStop ? this.postgresOutage(began + durationMs * 0.65, options.postgresDownMs) : undefined,
      this.deleteInGraph(began, durationMs),
      this.poison(began, durationMs, options.poisonMessages),
    ]);
    await Promise.all(this.restarts);
  }

  stop(): void {
    this.stopped = true;
    for (const subscription of this.advisories) subscription.unsubscribe();
  }

  private async killPlan({ began, durationMs, kills, maxRestartDelayMs }: { began: number; durationMs: number; kills: number; maxRestartDelayMs: number }): Promise<void> {
    for (let kill = 0; kill < kills; kill += 1) {
      await sleepUntil(began + durationMs * (0.05 + (0.85 * (kill + 0.5)) / kills));
      const service = CHAOS_SERVICES[kill % CHAOS_SERVICES.length];
      const victim = await this.victim(service);
      if (!victim) continue;
      const restartDelayMs = this.random.between(0, maxRestartDelayMs);
      this.figures.kills.push({ instance: victim.name, at: Date.now(), restartDelayMs });
      await this.cluster.kill(victim);
      this.restarts.push(
        sleep(restartDelayMs)
          .then(() => this.cluster.restart(victim))
          .catch((error) => void this.figures.restartsFailed.push(`${victim.name}: ${(error as Error).message}`)),
      );
    }
  }

  /** A replica of `service` to kill while the other one is up (waits up to a minute for that). */
  private async victim(service: ChaosService): Promise<ChaosInstance | undefined> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const replicas = this.cluster.instances.filter((instance) => instance.service === service);
      if (replicas.every((instance) => instance.up)) return this.random.pick(replicas);
      await sleep(250);
    }
    return undefined;
  }

  private async natsOutage(at: number, downMs: number): Promise<void> {
    await sleepUntil(at);
    const server = this.cluster.nats.servers[0];
    const from = Date.now();
    await server.kill();
    await sleep(downMs);
    await server.start();
    this.figures.natsOutage = { from, to: Date.now() };
  }

  private postgresDown(): boolean {
    const outage = this.figures.postgresOutage;
    return this.postgresStopping || (outage !== undefined && Date.now() < outage.to + 5000);
  }

  private async postgresOutage(at: number, downMs: number): Promise<void> {
    await sleepUntil(at);
    this.postgresStopping = true;
    const from = Date.now();
    await this.cluster.postgres.stopImmediate();
    await sleep(downMs);
    await this.cluster.postgres.start();
    this.figures.postgresOutage = { from, to: Date.now() };
    this.postgresStopping = false;
  }

  /** Every ~3 s a policy of the restored types disappears from a tenant (a later live restore creates it again). */
  private async deleteInGraph(began: number, durationMs: number): Promise<void> {
    for (let step = 1; !this.stopped && Date.now() < began + durationMs * 0.9; step += 1) {
      await sleepUntil(began + step * 3000);
      const tenant = this.random.pick(CHAOS_TENANTS);
      const type = this.random.pick(CHAOS_POLICY_TYPES);
      const base = `${this.graphUrl}/_emulator/tenants/${tenant.directoryId}/objects/${type}`;
      try {
        const objects = (await (await fetch(base)).json()) as { id: string; displayName?: string; name?: string }[];
        // Keep a few of each type, so restores have something to update too.
        if (objects.length <= 2) continue;
        const doomed = this.random.pick(objects);
        const name = doomed.displayName ?? doomed.name;
        if (name === undefined) continue;
        if ((await fetch(`${base}/${doomed.id}`, { method: 'DELETE' })).ok) {
          const key = deletionKey(tenant.directoryId, name);
          this.figures.deletions.set(key, (this.figures.deletions.get(key) ?? 0) + 1);
        }
      } catch {
        // The emulator is never the thing under test here; a failed deletion is simply not counted.
      }
    }
  }

  /** Poison messages on every consumed stream, spread over the run; each is published until JetStream stores it. */
  private async poison(began: number, durationMs: number, count: number): Promise<void> {
    const { names } = this.cluster;
    const tenant = CHAOS_TENANTS[0].id;
    const targets: { subject: string; consumers: ChaosService[] }[] = [
      { subject: names.subject('cmd.capture.inventory-sync.v1'), consumers: ['capture-worker'] },
      { subject: names.subject('cmd.restore.preview.v1'), consumers: ['restore-worker'] },
      { subject: names.subject(WorkerEventSubjects.itemFinished), consumers: ['run-service'] },
      { subject: names.runStatusSubject(tenant), consumers: ['notifier'] },
      { subject: names.tenantPurgeSubject(tenant), consumers: ['capture-worker', 'restore-worker', 'notifier', 'gateway'] },
    ];
    for (let index = 0; index < count && !this.stopped; index += 1) {
      await sleepUntil(began + durationMs * (0.02 + (0.9 * index) / Math.max(1, count)));
      // Not while Postgres is down: a poison handled then is redelivered only after its consumer's ack
      // wait (up to 2 minutes), which says nothing about recording it once and only slows the check.
      while (this.postgresDown()) await sleep(250);
      const target = targets[index % targets.length];
      // 4 kinds × 5 targets: twenty poisons try every kind on every stream.
      const kind = POISON_KINDS[index % POISON_KINDS.length];
      const marker = `chaos-poison-${index}-${kind}-${this.cluster.namespace}`;
      for (let attempt = 0; attempt < 120; attempt += 1) {
        try {
          await this.cluster.js.publish(target.subject, poisonPayload(kind, marker), { msgID: marker, timeout: 2000 });
          this.figures.poisons.push({ marker, kind, ...target });
          break;
        } catch {
          await sleep(500);
        }
      }
    }
  }
}
