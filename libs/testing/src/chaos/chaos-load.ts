// The operators: a mixed load over two tenants through both gateways — inventory syncs, snapshots,
// backup sets, restore previews, live restores with their confirmation, drift checks — including
// double-clicks (the same start sent twice at once, to one gateway or to both). Every answer is kept
// with its time, so the checks can tell a 503 during an outage from a 5xx that should not be.
import type pg from 'pg';
import { DEMO_TENANTS, RunType, TERMINAL_RUN_STATUSES, type RunView, type StartRunReply } from '@policyvault/contracts';
import { ChaosRandom, sleep } from './chaos-random.js';

/** The policy types backup sets, previews and restores cover (small, varied, each with a plain create). */
export const CHAOS_POLICY_COUNTS: Record<string, number> = { deviceConfiguration: 5, settingsCatalogPolicy: 4, compliancePolicy: 3, windowsPlatformScript: 3 };
export const CHAOS_POLICY_TYPES = Object.keys(CHAOS_POLICY_COUNTS);

export interface ChaosTenant {
  id: string;
  directoryId: string;
  displayName: string;
  ownerEmail: string;
}

export const CHAOS_TENANTS: ChaosTenant[] = DEMO_TENANTS.slice(0, 2).map((tenant) => ({
  id: tenant.id,
  directoryId: tenant.directoryId,
  displayName: tenant.displayName,
  ownerEmail: `owner@${tenant.displayName.toLowerCase()}.test`,
}));

export interface HttpAnswer {
  /** When the request was sent, and when its answer came. */
  at: number;
  answeredAt: number;
  /** Whether a 503 carried Retry-After (the gateway's "try again" contract). */
  retryAfter: boolean;
  gateway: number;
  method: string;
  /** The route, ids left out (`POST /runs`, `GET /runs/:id`). */
  route: string;
  /** 0 when no answer came (connection refused or reset: the gateway was down). */
  status: number;
}

export interface AcceptedRun {
  runId: string;
  tenantId: string;
  type: RunType;
  httpStatus: number;
  reused: boolean;
}

type StartVariant = 'single' | 'double-click' | 'both-gateways';

export interface LoadFigures {
  answers: HttpAnswer[];
  /** Every distinct run id answered 200/202, with the first answer for it. */
  accepted: Map<string, AcceptedRun>;
  startsSent: number;
  startsByVariant: Record<StartVariant, number>;
  /** Starts sent twice at once: the run ids both answers named. */
  pairs: { variant: StartVariant; runIds: string[] }[];
  /** Starts refused with a 4xx, by status and message (e.g. a drift check with no baseline yet). */
  refused: Map<string, number>;
  /** Starts given up after every retry (no 200/202 in the end). */
  abandoned: number;
  actionsByKind: Record<string, number>;
}

interface Knowledge {
  policies: Map<string, string[]>;
  completeSets: Map<string, string[]>;
}

const ACTION_WEIGHTS = { inventory: 10, snapshot: 22, backup: 24, preview: 14, liveRestore: 12, drift: 18 };
type Action = keyof typeof ACTION_WEIGHTS;

export class ChaosLoad {
  readonly figures: LoadFigures = {
    answers: [],
    accepted: new Map(),
    startsSent: 0,
    startsByVariant: { single: 0, 'double-click': 0, 'both-gateways': 0 },
    pairs: [],
    refused: new Map(),
    abandoned: 0,
    actionsByKind: {},
  };
  private readonly knowledge: Knowledge = { policies: new Map(), completeSets: new Map() };
  /** One live restore at a time per tenant, as an operator confirms them: creates can be attributed. */
  private readonly restoreLocks = new Map<string, Promise<void>>();
  private sequence = 0;
  private nextGateway = 0;

  constructor(
    private readonly gatewayUrls: string[],
    private readonly tokens: Map<string, string>,
    private readonly pool: pg.Pool,
    private readonly random: ChaosRandom,
  ) {}

  /** Starts actions at an even pace over `durationMs`, then on until `runs` distinct runs were accepted. */
  async run({ runs, durationMs, concurrency, deadlineMs }: { runs: number; durationMs: number; concurrency: number; deadlineMs: number }): Promise<void> {
    const began = Date.now();
    const inFlight = new Set<Promise<void>>();
    const refresh = setInterval(() => void this.refreshKnowledge(), 2000);
    // A live restore makes two runs, a reused start none: aim at a few more actions than runs.
    const pace = durationMs / (runs * 1.1);
    try {
      await this.refreshKnowledge();
      for (let action = 0; this.figures.accepted.size < runs; action += 1) {
        if (Date.now() > deadlineMs) throw new Error(`the load did not get ${runs} runs accepted in time (${this.figures.accepted.size})`);
        const due = began + action * pace;
        if (due > Date.now()) await sleep(due - Date.now());
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        const task = this.act().finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      await Promise.all(inFlight);
    } finally {
      clearInterval(refresh);
    }
  }

  private async act(): Promise<void> {
    const tenant = this.random.pick(CHAOS_TENANTS);
    let action: Action = this.random.weighted(ACTION_WEIGHTS);
    const sets = this.knowledge.completeSets.get(tenant.id) ?? [];
    const policies = this.knowledge.policies.get(tenant.id) ?? [];
    if ((action === 'preview' || action === 'liveRestore') && sets.length === 0) action = 'backup';
    if (action === 'snapshot' && policies.length === 0) action = 'inventory';
    this.figures.actionsByKind[action] = (this.figures.actionsByKind[action] ?? 0) + 1;
    switch (action) {
      case 'inventory':
        return void (await this.start(tenant, { type: RunType.InventorySync, target: {}, scope: {} }));
      case 'snapshot':
        return void (await this.start(tenant, { type: RunType.PolicyCaptureSnapshot, target: { policyId: this.random.pick(policies) }, scope: {} }));
      case 'backup':
        return void (await this.start(tenant, {
          type: RunType.BackupSetCreate,
          target: { name: `chaos ${(this.sequence += 1)}` },
          scope: { policyTypes: CHAOS_POLICY_TYPES, includeFoundations: false },
        }));
      case 'preview':
        return void (await this.start(tenant, { type: RunType.RestorePreview, target: { backupSetId: this.random.pick(sets) }, scope: {} }));
      case 'drift':
        // Against the latest complete set, or a chosen one.
        return void (await this.start(tenant, { type: RunType.DriftCheck, target: sets.length === 0 || this.random.next() < 0.5 ? {} : { backupSetId: this.random.pick(sets) }, scope: {} }));
      case 'liveRestore':
        return this.liveRestore(tenant, this.random.pick(sets));
    }
  }

  /** Preview, wait for it, then the live restore confirmed by that preview; one per tenant at a time. */
  private async liveRestore(tenant: ChaosTenant, backupSetId: string): Promise<void> {
    const previous = this.restoreLocks.get(tenant.id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.restoreLocks.set(tenant.id, previous.then(() => mine));
    await previous;
    try {
      const preview = await this.start(tenant, { type: RunType.RestorePreview, target: { backupSetId }, scope: {} });
      if (!preview) return;
      const previewed = await this.waitUntilTerminal(tenant, preview);
      if (previewed?.status !== 'succeeded') return;
      const restore = await this.start(tenant, {
        type: RunType.RestoreExecute,
        target: { backupSetId },
        scope: {},
        confirmation: { previewRunId: preview },
      });
      if (restore) await this.waitUntilTerminal(tenant, restore);
    } finally {
      release();
    }
  }

  /** One start as an operator sends it (sometimes twice at once); the accepted run id, if any. */
  private async start(tenant: ChaosTenant, body: Record<string, unknown>): Promise<string | undefined> {
    const variant: StartVariant = this.random.weighted({ single: 70, 'double-click': 15, 'both-gateways': 15 });
    this.figures.startsByVariant[variant] += 1;
    const gateway = this.gateway();
    if (variant === 'single') return this.send(tenant, body, gateway);
    const other = variant === 'both-gateways' ? (gateway + 1) % this.gatewayUrls.length : gateway;
    const runIds = await Promise.all([this.send(tenant, body, gateway), this.send(tenant, body, other)]);
    this.figures.pairs.push({ variant, runIds: runIds.filter((id): id is string => id !== undefined) });
    return runIds.find((id) => id !== undefined);
  }

  /** Retries on the other gateway when one is down or answers 5xx, as the UI's user would click again. */
  private async send(tenant: ChaosTenant, body: Record<string, unknown>, firstGateway: number): Promise<string | undefined> {
    this.figures.startsSent += 1;
    let gateway = firstGateway;
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      const answer = await this.request(gateway, 'POST', `/api/tenants/${tenant.id}/runs`, 'POST /runs', tenant, body);
      if (answer.status === 200 || answer.status === 202) {
        const reply = answer.body as StartRunReply;
        if (!this.figures.accepted.has(reply.run.id)) {
          this.figures.accepted.set(reply.run.id, { runId: reply.run.id, tenantId: tenant.id, type: body.type as RunType, httpStatus: answer.status, reused: reply.reused });
        }
        return reply.run.id;
      }
      if (answer.status >= 400 && answer.status < 500) {
        const message = (answer.body as { message?: unknown } | undefined)?.message;
        const key = `${answer.status} ${String(body.type)}: ${String(Array.isArray(message) ? message[0] : message).slice(0, 120)}`;
        this.figures.refused.set(key, (this.figures.refused.get(key) ?? 0) + 1);
        return undefined;
      }
      gateway = (gateway + 1) % this.gatewayUrls.length;
      await sleep(Math.min(2000, 250 * attempt));
    }
    this.figures.abandoned += 1;
    return undefined;
  }

  private async waitUntilTerminal(tenant: ChaosTenant, runId: string): Promise<RunView | undefined> {
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const answer = await this.request(this.gateway(), 'GET', `/api/tenants/${tenant.id}/runs/${runId}`, 'GET /runs/:id', tenant);
      const run = answer.status === 200 ? (answer.body as RunView) : undefined;
      if (run && TERMINAL_RUN_STATUSES.includes(run.status)) return run;
      await sleep(500);
    }
    return undefined;
  }

  private gateway(): number {
    this.nextGateway = (this.nextGateway + 1) % this.gatewayUrls.length;
    return this.nextGateway;
  }

  private async request(gateway: number, method: string, path: string, route: string, tenant: ChaosTenant, body?: unknown): Promise<{ status: number; body?: unknown }> {
    const at = Date.now();
    let status = 0;
    let retryAfter = false;
    let parsed: unknown;
    try {
      const response = await fetch(`${this.gatewayUrls[gateway]}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.tokens.get(tenant.id)}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      retryAfter = response.headers.has('retry-after');
      parsed = await response.json().catch(() => undefined);
    } catch {
      status = 0;
    }
    this.figures.answers.push({ at, answeredAt: Date.now(), gateway, method, route, status, retryAfter });
    return { status, body: parsed };
  }

  /** Which policies and complete backup sets each tenant has (read from the database; kept when it is down). */
  private async refreshKnowledge(): Promise<void> {
    try {
      const policies = await this.pool.query<{ tenant_id: string; ids: string[] }>(
        `SELECT tenant_id, array_agg(id::text) AS ids FROM capture.policies WHERE policy_type = ANY($1) GROUP BY tenant_id`,
        [CHAOS_POLICY_TYPES],
      );
      for (const row of policies.rows) this.knowledge.policies.set(row.tenant_id, row.ids);
      const sets = await this.pool.query<{ tenant_id: string; ids: string[] }>(
        `SELECT tenant_id, array_agg(id::text) AS ids FROM capture.backup_sets WHERE status = 'complete' GROUP BY tenant_id`,
      );
      for (const row of sets.rows) this.knowledge.completeSets.set(row.tenant_id, row.ids);
    } catch {
      // Postgres is down: the load goes on with what it knew.
    }
  }
}
