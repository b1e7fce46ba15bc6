import { randomUUID } from 'node:crypto';
import { DEMO_GRAPH_APP, DEMO_TENANTS } from '@policyvault/contracts';
import { isSupportedPolicyType, POLICY_TYPE_CONTRACTS } from '@policyvault/graph';
import { TokenIssuer, type RegisteredApp } from './auth/token-issuer.js';
import { FaultInjector, type FaultConfig } from './behaviour/faults.js';
import { RequestJournal } from './behaviour/journal.js';
import { INTUNE_LIMITS, Throttler, type ThrottleLimits } from './behaviour/throttle.js';
import { GraphHandler } from './graph/graph-handler.js';
import { TenantStore, toStoredPolicy, type GraphObject } from './graph/tenant-store.js';
import { generateDemoPolicies, type SeedOptions } from './seed/demo-policies.js';
import { loadExportDirectory, type LoadedExport } from './seed/export-loader.js';

export interface GraphEmulatorOptions {
  /** 0 picks a free port (tests). Default 3100. */
  port?: number;
  host?: string;
  apps?: RegisteredApp[];
  tokenLifetimeSeconds?: number;
  throttle?: ThrottleLimits;
  /** Seed Contoso and Fabrikam (DEMO_TENANTS). Default true. */
  seedDemoTenants?: boolean;
  demoSeed?: SeedOptions;
  /** Load a directory of Graph-exported JSON files into `exportTenant` at start. */
  exportDirectory?: string;
  exportTenant?: string;
  pageSize?: number;
  faults?: Record<string, FaultConfig>;
  journalSize?: number;
}

/** Everything the emulator knows; the admin HTTP API and in-process tests both go through `EmulatorAdmin`. */
export class EmulatorState {
  readonly tenants = new Map<string, TenantStore>();
  readonly journal: RequestJournal;
  readonly throttler: Throttler;
  readonly faults = new FaultInjector();
  readonly tokens: TokenIssuer;
  readonly graph: GraphHandler;

  constructor(options: GraphEmulatorOptions) {
    this.journal = new RequestJournal(options.journalSize);
    this.throttler = new Throttler(options.throttle ?? INTUNE_LIMITS);
    this.tokens = new TokenIssuer(options.apps ?? [{ ...DEMO_GRAPH_APP }], options.tokenLifetimeSeconds ?? 3599);
    this.graph = new GraphHandler(options.pageSize ?? 100);
    for (const [tenant, config] of Object.entries(options.faults ?? {})) this.faults.set(tenant, config);
  }
}

export class EmulatorAdmin {
  constructor(private readonly state: EmulatorState) {}

  /** Creates or resets a tenant; seeded with deterministic demo policies unless `seed` is false. */
  resetTenant(directoryId: string, options: { displayName?: string; seed?: SeedOptions | false } = {}): Record<string, number> {
    const store = new TenantStore(directoryId, options.displayName ?? directoryId);
    if (options.seed !== false) {
      for (const { type, object } of generateDemoPolicies(directoryId, options.seed ?? {})) store.put(toStoredPolicy(POLICY_TYPE_CONTRACTS[type], object));
    }
    this.state.tenants.set(directoryId, store);
    return store.counts();
  }

  deleteTenant(directoryId: string): boolean {
    return this.state.tenants.delete(directoryId);
  }

  seedDemoTenants(seed?: SeedOptions): void {
    for (const tenant of DEMO_TENANTS) this.resetTenant(tenant.directoryId, { displayName: tenant.displayName, seed: seed ?? {} });
  }

  async loadExport(directoryId: string, directory: string): Promise<Pick<LoadedExport, 'skipped'> & { loaded: number }> {
    const exported = await loadExportDirectory(directory);
    const store = this.state.tenants.get(directoryId) ?? new TenantStore(directoryId, directoryId);
    this.state.tenants.set(directoryId, store);
    for (const { type, object } of exported.objects) {
      store.put(toStoredPolicy(POLICY_TYPE_CONTRACTS[type], { id: randomUUID(), ...object }));
    }
    return { loaded: exported.objects.length, skipped: exported.skipped };
  }

  listTenants(): Array<{ directoryId: string; displayName: string; counts: Record<string, number> }> {
    return [...this.state.tenants.values()].map((store) => ({ directoryId: store.directoryId, displayName: store.displayName, counts: store.counts() }));
  }

  /** Objects as stored, relations embedded (what a complete snapshot of Graph would show). */
  listObjects(directoryId: string, type: string): GraphObject[] | undefined {
    const store = this.state.tenants.get(directoryId);
    if (!store || !isSupportedPolicyType(type)) return undefined;
    return store.list(type).map((stored) => ({ ...structuredClone(stored.data), ...structuredClone(stored.relations) }));
  }

  getObject(directoryId: string, type: string, id: string): GraphObject | undefined {
    const stored = this.state.tenants.get(directoryId)?.get(type, id);
    return stored ? { ...structuredClone(stored.data), ...structuredClone(stored.relations) } : undefined;
  }

  /** Changes an object "in Graph" behind the client's back (drift for restore previews). */
  patchObject(directoryId: string, type: string, id: string, changes: GraphObject): GraphObject | undefined {
    const stored = this.state.tenants.get(directoryId)?.get(type, id);
    if (!stored) return undefined;
    const contract = POLICY_TYPE_CONTRACTS[type];
    for (const [key, value] of Object.entries(changes)) {
      if (contract.subResources.some((sub) => sub.name === key) && Array.isArray(value)) stored.relations[key] = value as GraphObject[];
      else stored.data[key] = value;
    }
    stored.data.lastModifiedDateTime = new Date().toISOString();
    stored.data.version = Number(stored.data.version ?? 0) + 1;
    return this.getObject(directoryId, type, id);
  }

  /** Inserts or replaces an object (id kept when given), relations embedded as in an export. */
  putObject(directoryId: string, type: string, object: GraphObject): GraphObject | undefined {
    const store = this.state.tenants.get(directoryId);
    if (!store || !isSupportedPolicyType(type)) return undefined;
    const stamp = new Date().toISOString();
    const stored = toStoredPolicy(POLICY_TYPE_CONTRACTS[type], { id: randomUUID(), createdDateTime: stamp, lastModifiedDateTime: stamp, version: 1, ...object });
    store.put(stored);
    return this.getObject(directoryId, type, String(stored.data.id));
  }

  deleteObject(directoryId: string, type: string, id: string): boolean {
    return this.state.tenants.get(directoryId)?.delete(type, id) ?? false;
  }

  setFaults(directoryId: string, config: FaultConfig | undefined): void {
    this.state.faults.set(directoryId, config);
  }

  setThrottle(directoryId: string, limits: ThrottleLimits | undefined): void {
    this.state.throttler.setTenantLimits(directoryId, limits);
  }

  setDefaultThrottle(limits: ThrottleLimits): void {
    this.state.throttler.setDefaults(limits);
    this.state.throttler.reset();
  }
}
