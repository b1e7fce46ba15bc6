import { randomUUID } from 'node:crypto';
import { DEMO_GRAPH_APP, DEMO_TENANTS } from '@policyvault/contracts';
import { collectionByKey, isCollectionKey } from './catalogue/collections.js';
import { VerifiedDomains } from './auth/openid-discovery.js';
import { ALL_EMULATED_PERMISSIONS, TokenIssuer, type RegisteredApp } from './auth/token-issuer.js';
import { FaultInjector, type FaultConfig } from './behaviour/faults.js';
import { RequestJournal } from './behaviour/journal.js';
import { INTUNE_LIMITS, Throttler, type ThrottleLimits } from './behaviour/throttle.js';
import { GraphHandler } from './graph/graph-handler.js';
import { stampCreated, touch } from './graph/object-changes.js';
import { sealOmaSettings } from './graph/oma-secrets.js';
import { TenantStore, toStoredObject, type GraphObject, type StoredObject } from './graph/tenant-store.js';
import { generateDemoPolicies, type SeedOptions } from './seed/demo-policies.js';
import { loadExportDirectory, type LoadedExport } from './seed/export-loader.js';
import { GROUP_POLICY_DEFINITIONS, INTENT_TEMPLATES } from './seed/microsoft-catalogue.js';
import { SETTING_DEFINITIONS } from './seed/setting-definitions.js';

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
  /** Domains verified per directory: OpenID discovery resolves them to the directory id. */
  readonly domains = new VerifiedDomains();

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

  /** A tenant holding only Microsoft's catalogues (endpoint-security templates, ADMX definitions). */
  private newStore(directoryId: string, displayName: string): TenantStore {
    const store = new TenantStore(directoryId, displayName);
    for (const template of INTENT_TEMPLATES) {
      store.put({ key: 'intentTemplate', data: structuredClone(template.object), relations: { settings: structuredClone(template.settings), categories: template.categories.map((category) => structuredClone(category.object)) } });
    }
    for (const definition of GROUP_POLICY_DEFINITIONS) {
      store.put({ key: 'groupPolicyDefinition', data: structuredClone(definition.object), relations: { presentations: structuredClone(definition.presentations) } });
    }
    for (const definition of SETTING_DEFINITIONS) store.put({ key: 'settingDefinition', data: structuredClone(definition), relations: {} });
    return store;
  }

  private store(directoryId: string, key: string, object: GraphObject): StoredObject {
    const store = this.state.tenants.get(directoryId)!;
    const stored = toStoredObject(key, object);
    sealOmaSettings(store, stored.data);
    return store.put(stored);
  }

  /**
   * Creates or resets a tenant. Seeded (default) with deterministic groups, built-ins and demo policies; with
   * `seed: false` it only holds Microsoft's catalogues. The registered app is consented there with every
   * emulated permission (`ALL_EMULATED_PERMISSIONS`) unless `consent` names others, or is `false` (no consent:
   * token requests answer AADSTS7000229 until `grantConsent`).
   */
  resetTenant(directoryId: string, options: { displayName?: string; seed?: SeedOptions | false; consent?: readonly string[] | false } = {}): Record<string, number> {
    const store = this.newStore(directoryId, options.displayName ?? directoryId);
    this.state.tenants.set(directoryId, store);
    this.state.tokens.revokeConsent(directoryId);
    if (options.consent !== false) this.grantConsent(directoryId, options.consent ?? ALL_EMULATED_PERMISSIONS);
    if (options.seed !== false) {
      for (const { type, object } of generateDemoPolicies(directoryId, options.seed ?? {})) this.store(directoryId, type, object);
    }
    return store.counts();
  }

  deleteTenant(directoryId: string): boolean {
    this.state.tokens.revokeConsent(directoryId);
    return this.state.tenants.delete(directoryId);
  }

  /**
   * An admin of the tenant consents to the app (default: the registered one) with exactly these application
   * permissions; its next token carries them as `roles`. False for an unknown tenant.
   */
  grantConsent(directoryId: string, permissions: readonly string[], clientId?: string): boolean {
    if (!this.state.tenants.has(directoryId)) return false;
    this.state.tokens.grantConsent(directoryId, permissions, clientId);
    return true;
  }

  /** Removes the app's consent (its service principal) from the tenant: token requests answer AADSTS7000229. */
  revokeConsent(directoryId: string, clientId?: string): boolean {
    if (!this.state.tenants.has(directoryId)) return false;
    this.state.tokens.revokeConsent(directoryId, clientId ?? this.state.tokens.defaultClientId);
    return true;
  }

  /** The permissions the app (default: the registered one) holds in the tenant; undefined without consent. */
  consentOf(directoryId: string, clientId?: string): string[] | undefined {
    return this.state.tokens.consentOf(directoryId, clientId);
  }

  seedDemoTenants(seed?: SeedOptions): void {
    for (const tenant of DEMO_TENANTS) {
      this.resetTenant(tenant.directoryId, { displayName: tenant.displayName, seed: seed ?? {} });
      this.verifyDomain(tenant.directoryId, tenant.verifiedDomain);
    }
  }

  /** Verifies a domain in a tenant (for OpenID discovery); false when another tenant verified it first. */
  verifyDomain(directoryId: string, domain: string): boolean {
    return this.state.domains.add(directoryId, domain);
  }

  verifiedDomains(directoryId: string): string[] {
    return this.state.domains.of(directoryId);
  }

  async loadExport(directoryId: string, directory: string): Promise<Pick<LoadedExport, 'skipped'> & { loaded: number }> {
    const exported = await loadExportDirectory(directory);
    if (!this.state.tenants.has(directoryId)) {
      this.state.tenants.set(directoryId, this.newStore(directoryId, directoryId));
      this.grantConsent(directoryId, ALL_EMULATED_PERMISSIONS);
    }
    const skipped = [...exported.skipped];
    // Groups an export names (IntuneCD records assignment groups by name) exist in the tenant, once each.
    const known = new Set((this.listGroups(directoryId) ?? []).map((group) => String(group.id)));
    for (const group of exported.groups) if (!known.has(group.id)) this.addGroup(directoryId, group);
    let loaded = 0;
    for (const { type, object } of exported.objects) {
      if (!isCollectionKey(type)) {
        skipped.push({ file: String(object.displayName ?? object.name ?? object.id ?? type), reason: `no emulated collection '${type}'` });
        continue;
      }
      this.store(directoryId, type, { id: randomUUID(), ...object });
      loaded += 1;
    }
    return { loaded, skipped };
  }

  listTenants(): Array<{ directoryId: string; displayName: string; counts: Record<string, number> }> {
    return [...this.state.tenants.values()].map((store) => ({ directoryId: store.directoryId, displayName: store.displayName, counts: store.counts() }));
  }

  /** Objects as stored, relations embedded (what a complete export of Graph would show; OMA secrets masked). */
  listObjects(directoryId: string, type: string): GraphObject[] | undefined {
    const store = this.state.tenants.get(directoryId);
    if (!store || !isCollectionKey(type)) return undefined;
    return store.list(type).map(embedded);
  }

  getObject(directoryId: string, type: string, id: string): GraphObject | undefined {
    const stored = this.state.tenants.get(directoryId)?.get(type, id);
    return stored ? embedded(stored) : undefined;
  }

  /** Changes an object "in Graph" behind the client's back (drift for restore previews). */
  patchObject(directoryId: string, type: string, id: string, changes: GraphObject): GraphObject | undefined {
    const store = this.state.tenants.get(directoryId);
    const stored = store?.get(type, id);
    if (!store || !stored) return undefined;
    const navigations = collectionByKey(type)?.navigations ?? {};
    for (const [key, value] of Object.entries(changes)) {
      if (key in navigations && Array.isArray(value)) stored.relations[key] = value as GraphObject[];
      else stored.data[key] = value;
    }
    sealOmaSettings(store, stored.data);
    touch(stored);
    return this.getObject(directoryId, type, id);
  }

  /** Inserts or replaces an object (id kept when given), relations embedded as in an export. */
  putObject(directoryId: string, type: string, object: GraphObject): GraphObject | undefined {
    const collection = collectionByKey(type);
    if (!this.state.tenants.has(directoryId) || !collection) return undefined;
    const data: GraphObject = { id: randomUUID(), ...object };
    if (!object.id) stampCreated(String(object['@odata.type'] ?? collection.entityType), data);
    const stored = this.store(directoryId, type, data);
    return this.getObject(directoryId, type, String(stored.data.id));
  }

  deleteObject(directoryId: string, type: string, id: string): boolean {
    return this.state.tenants.get(directoryId)?.delete(type, id) ?? false;
  }

  /** Adds an Entra group (`/v1.0/groups`); same display names in two tenants get different ids, as in Entra. */
  addGroup(directoryId: string, group: { displayName: string; id?: string; description?: string }): GraphObject | undefined {
    return this.putObject(directoryId, 'group', { securityEnabled: true, mailEnabled: false, groupTypes: [], mailNickname: group.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'), ...group });
  }

  listGroups(directoryId: string): GraphObject[] | undefined {
    return this.listObjects(directoryId, 'group');
  }

  /** The plaintext behind an encrypted OMA setting (what `getOmaSettingPlainTextValue` returns). */
  secretValue(directoryId: string, secretReferenceValueId: string): string | undefined {
    return this.state.tenants.get(directoryId)?.secrets.get(secretReferenceValueId);
  }

  setFaults(directoryId: string, config: FaultConfig | undefined): void {
    this.state.faults.set(directoryId, config);
  }

  /** Holds the tenant's Graph requests (token requests still answer) until the returned function is called. */
  holdRequests(directoryId: string): () => void {
    return this.state.faults.hold(directoryId);
  }

  setThrottle(directoryId: string, limits: ThrottleLimits | undefined): void {
    this.state.throttler.setTenantLimits(directoryId, limits);
  }

  setDefaultThrottle(limits: ThrottleLimits): void {
    this.state.throttler.setDefaults(limits);
    this.state.throttler.reset();
  }
}

function embedded(stored: StoredObject): GraphObject {
  return { ...structuredClone(stored.data), ...structuredClone(stored.relations) };
}
