import type { FaultConfig } from '../behaviour/faults.js';
import type { JournalKind } from '../behaviour/journal.js';
import type { ThrottleLimits } from '../behaviour/throttle.js';
import type { EmulatorAdmin, EmulatorState } from '../emulator-state.js';
import type { GraphObject } from '../graph/tenant-store.js';
import type { SeedOptions } from '../seed/demo-policies.js';

export interface AdminAnswer {
  status: number;
  body?: unknown;
}

const ok = (body?: unknown): AdminAnswer => ({ status: body === undefined ? 204 : 200, body });
const missing = (what: string): AdminAnswer => ({ status: 404, body: { error: `${what} not found` } });

/** `/_emulator/...`: test and operator controls. Not part of Graph; never journaled. */
export async function handleAdmin(state: EmulatorState, admin: EmulatorAdmin, method: string, path: string, query: URLSearchParams, body: unknown): Promise<AdminAnswer> {
  const segments = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const [first, tenant, section, type, id] = segments;
  const input = (body ?? {}) as Record<string, unknown>;

  if (first === 'health') return ok({ ok: true });
  if (first === 'journal') {
    if (method === 'DELETE') return (state.journal.clear(), ok());
    const sinceSeq = query.get('sinceSeq');
    return ok({
      lastSeq: state.journal.lastSeq,
      entries: state.journal.list({
        tenant: query.get('tenant') ?? undefined,
        sinceSeq: sinceSeq ? Number(sinceSeq) : undefined,
        kind: (query.get('kind') as JournalKind | null) ?? undefined,
      }),
    });
  }
  if (first === 'throttle' && method === 'PUT') return (admin.setDefaultThrottle(input as unknown as ThrottleLimits), ok());
  if (first !== 'tenants') return missing('admin endpoint');
  if (!tenant) return ok(admin.listTenants());

  if (!section) {
    if (method === 'PUT') {
      const consent = input.consent === false || isStringArray(input.consent) ? input.consent : undefined;
      return ok(admin.resetTenant(tenant, { displayName: input.displayName as string | undefined, seed: input.seed as SeedOptions | false | undefined, consent }));
    }
    if (method === 'DELETE') return admin.deleteTenant(tenant) ? ok() : missing('tenant');
  }
  if (section === 'consent') return consent(admin, method, tenant, input, query);
  if (section === 'load' && method === 'POST') return ok(await admin.loadExport(tenant, String(input.directory)));
  if (section === 'faults') return (admin.setFaults(tenant, method === 'DELETE' ? undefined : (input as FaultConfig)), ok());
  if (section === 'throttle') return (admin.setThrottle(tenant, method === 'DELETE' ? undefined : (input as unknown as ThrottleLimits)), ok());
  if (section === 'domains' && !type) {
    if (method === 'GET') return ok({ domains: admin.verifiedDomains(tenant) });
    if (method !== 'POST' || typeof input.domain !== 'string') return { status: 400, body: { error: 'POST a verified domain as { domain }' } };
    if (!state.tenants.has(tenant)) return missing('tenant');
    return admin.verifyDomain(tenant, input.domain) ? ok({ domains: admin.verifiedDomains(tenant) }) : { status: 409, body: { error: 'another tenant verified this domain' } };
  }
  if (section === 'groups' && !type) {
    if (method === 'GET') return ok(admin.listGroups(tenant) ?? []);
    if (method === 'POST' && typeof input.displayName === 'string') {
      const group = admin.addGroup(tenant, input as { displayName: string; id?: string; description?: string });
      return group ? ok(group) : missing('tenant');
    }
    return { status: 400, body: { error: 'POST a group as { displayName, id?, description? }' } };
  }
  if (section === 'objects' && type) {
    if (!id && method === 'GET') return ok(admin.listObjects(tenant, type) ?? []);
    const found =
      method === 'GET' && id ? admin.getObject(tenant, type, id)
      : method === 'POST' && !id ? admin.putObject(tenant, type, input as GraphObject)
      : method === 'PUT' && id ? admin.putObject(tenant, type, { ...(input as GraphObject), id })
      : undefined;
    if (found) return ok(found);
    if (method === 'GET' || method === 'POST' || method === 'PUT') return missing('tenant, type or object');
    if (id && method === 'PATCH') {
      const patched = admin.patchObject(tenant, type, id, input as GraphObject);
      return patched ? ok(patched) : missing('object');
    }
    if (id && method === 'DELETE') return admin.deleteObject(tenant, type, id) ? ok() : missing('object');
  }
  return missing('admin endpoint');
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((entry) => typeof entry === 'string');

/** `/_emulator/tenants/{t}/consent`: GET the app's granted permissions, PUT `{ permissions, clientId? }`, DELETE (`?clientId=`) to revoke. */
function consent(admin: EmulatorAdmin, method: string, tenant: string, input: Record<string, unknown>, query: URLSearchParams): AdminAnswer {
  const clientId = typeof input.clientId === 'string' ? input.clientId : (query.get('clientId') ?? undefined);
  if (method === 'GET') {
    const permissions = admin.consentOf(tenant, clientId);
    return permissions ? ok({ permissions }) : missing('consent');
  }
  if (method === 'PUT') {
    if (!isStringArray(input.permissions)) return { status: 400, body: { error: 'PUT consent as { permissions: string[], clientId? }' } };
    return admin.grantConsent(tenant, input.permissions, clientId) ? ok({ permissions: admin.consentOf(tenant, clientId) }) : missing('tenant');
  }
  if (method === 'DELETE') return admin.revokeConsent(tenant, clientId) ? ok() : missing('tenant');
  return missing('admin endpoint');
}
