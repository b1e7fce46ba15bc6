import { randomUUID } from 'node:crypto';
import { POLICY_TYPE_CONTRACTS, type PolicyTypeContract } from '@policyvault/graph';
import { badRequest, notFound, type GraphAnswer } from './graph-errors.js';
import type { GraphObject, StoredPolicy, TenantStore } from './tenant-store.js';
import { validateWriteBody } from './write-validation.js';

export const MALFORMED_BODY = Symbol('malformed-body');

export interface GraphCall {
  tenant: TenantStore;
  method: string;
  version: string;
  /** Path after the version, without the query string. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Scheme and host the caller used, for `@odata.nextLink` and `@odata.context`. */
  baseUrl: string;
}

interface Route {
  prefix: string;
  contract: PolicyTypeContract;
  /** Derived-type collection (e.g. iosManagedAppProtections) sharing the polymorphic store. */
  odataType?: string;
}

/** List shapes that omit large properties, as Intune does (the object must be read by id). */
const LIST_OMITS: Record<string, string[]> = {
  windowsPlatformScript: ['scriptContent'],
  macOSPlatformScript: ['scriptContent'],
  remediationScript: ['detectionScriptContent', 'remediationScriptContent'],
};

const routes: Route[] = Object.values(POLICY_TYPE_CONTRACTS)
  .flatMap((contract): Route[] => [
    { prefix: contract.collectionPath, contract },
    ...Object.entries(contract.createPathByODataType ?? {}).map(([odataType, prefix]) => ({ prefix, contract, odataType })),
  ])
  .sort((left, right) => right.prefix.length - left.prefix.length);

const now = () => new Date().toISOString();

/** Intune's collections for every registry type: list, get, relations, create, update, delete, assign. */
export class GraphHandler {
  constructor(private readonly pageSize: number) {}

  static isWrite(method: string): boolean {
    return method !== 'GET';
  }

  handle(call: GraphCall): GraphAnswer {
    if (call.body === MALFORMED_BODY) return badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    const route = routes.find((candidate) => call.path === candidate.prefix || call.path.startsWith(`${candidate.prefix}/`));
    if (!route) return notFound(`Resource not found for the segment '${call.path.split('/').filter(Boolean).pop() ?? ''}'.`);
    const segments = call.path.slice(route.prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
    const { contract } = route;
    if (segments.length === 0) {
      if (call.method === 'GET') return this.list(call, route);
      if (call.method === 'POST') return this.create(call, route);
      return badRequest(`The method ${call.method} is not allowed on a collection.`);
    }
    const stored = call.tenant.get(contract.type, segments[0]);
    if (!stored || (route.odataType && stored.data['@odata.type'] !== route.odataType)) return notFound(`The ${contract.type} '${segments[0]}' was not found.`);
    sealOmaSecrets(stored);
    if (segments.length === 2 && call.method === 'GET' && segments[1].startsWith('getOmaSettingPlainTextValue(')) return omaPlainTextValue(stored, segments[1]);
    if (segments.length === 1) {
      if (call.method === 'GET') return { status: 200, body: this.format(call, stored, expandNames(call.query)) };
      if (call.method === 'PATCH' || call.method === 'PUT') return this.update(call, stored);
      if (call.method === 'DELETE') {
        call.tenant.delete(contract.type, segments[0]);
        return { status: 204 };
      }
      return badRequest(`The method ${call.method} is not allowed here.`);
    }
    if (segments.length === 2 && segments[1] === 'assign' && call.method === 'POST') return this.assign(call, stored);
    const relation = contract.subResources.find((sub) => sub.segment === segments[1]);
    if (!relation || segments.length > 2) return notFound(`Resource not found for the segment '${segments[segments.length - 1]}'.`);
    if (call.method === 'GET') return this.page(call, stored.relations[relation.name] ?? []);
    if (call.method === 'POST' && relation.write === 'separate') return this.appendRelation(call, stored, relation.name);
    return badRequest(`The method ${call.method} is not allowed on '${relation.segment}'.`);
  }

  private list(call: GraphCall, route: Route): GraphAnswer {
    const omitted = LIST_OMITS[route.contract.type] ?? [];
    const expand = expandNames(call.query);
    const invalid = expand.find((name) => !route.contract.subResources.some((sub) => sub.name === name));
    if (invalid) return badRequest(`Could not find a property named '${invalid}' on type '${route.contract.type}'.`);
    const items = call.tenant
      .list(route.contract.type)
      .filter((stored) => !route.odataType || stored.data['@odata.type'] === route.odataType)
      .map((stored) => {
        sealOmaSecrets(stored);
        const object = this.format(call, stored, expand);
        delete object['@odata.context'];
        for (const key of omitted) object[key] = null;
        return object;
      });
    return this.page(call, items);
  }

  private page(call: GraphCall, items: unknown[]): GraphAnswer {
    const top = Math.min(999, Math.max(1, Number(call.query.get('$top')) || this.pageSize));
    const offset = decodeSkipToken(call.query.get('$skiptoken'));
    const body: GraphObject = { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#${call.path}`, value: items.slice(offset, offset + top) };
    if (offset + top < items.length) {
      const next = new URLSearchParams(call.query);
      next.set('$top', String(top));
      next.set('$skiptoken', Buffer.from(String(offset + top)).toString('base64url'));
      body['@odata.nextLink'] = `${call.baseUrl}/${call.version}${call.path}?${next.toString()}`;
    }
    return { status: 200, body };
  }

  private create(call: GraphCall, route: Route): GraphAnswer {
    const { contract } = route;
    const error = validateWriteBody(contract, call.body, 'create') ?? secretReferenceWritten(call.body);
    if (error) return badRequest(error);
    const body = call.body as GraphObject;
    if (contract.createPathByODataType) {
      const expected = route.odataType ?? undefined;
      if (!expected || body['@odata.type'] !== expected) return badRequest(`Create this object in its derived collection for '${String(body['@odata.type'])}'.`);
    }
    const stamp = now();
    const stored: StoredPolicy = { type: contract.type, data: {}, relations: {} };
    for (const sub of contract.subResources) stored.relations[sub.name] = [];
    this.apply(contract, stored, body);
    Object.assign(stored.data, { id: randomUUID(), createdDateTime: stamp, lastModifiedDateTime: stamp, version: 1 });
    sealOmaSecrets(stored);
    call.tenant.put(stored);
    return { status: 201, body: this.format(call, stored, []) };
  }

  private update(call: GraphCall, stored: StoredPolicy): GraphAnswer {
    const contract = POLICY_TYPE_CONTRACTS[stored.type];
    const error = validateWriteBody(contract, call.body, 'update') ?? secretReferenceWritten(call.body);
    if (error) return badRequest(error);
    const { id, createdDateTime, version } = stored.data;
    if (call.method === 'PUT') stored.data = { '@odata.type': stored.data['@odata.type'] };
    this.apply(contract, stored, call.body as GraphObject);
    Object.assign(stored.data, { id, createdDateTime, lastModifiedDateTime: now(), version: Number(version ?? 0) + 1 });
    sealOmaSecrets(stored);
    return { status: 204 };
  }

  /** Copies writable properties; inline relations replace the stored ones (with fresh ids). */
  private apply(contract: PolicyTypeContract, stored: StoredPolicy, body: GraphObject): void {
    const inline = new Set(contract.subResources.filter((sub) => sub.write === 'inline').map((sub) => sub.name));
    for (const [key, value] of Object.entries(body)) {
      if (inline.has(key)) stored.relations[key] = (value as GraphObject[]).map((item, index) => ({ id: contract.type === 'settingsCatalogPolicy' ? String(index) : randomUUID(), ...item }));
      else stored.data[key] = value;
    }
    if (contract.type === 'settingsCatalogPolicy') stored.data.settingCount = stored.relations.settings?.length ?? 0;
  }

  private assign(call: GraphCall, stored: StoredPolicy): GraphAnswer {
    const contract = POLICY_TYPE_CONTRACTS[stored.type];
    if (!contract.assignment || contract.assignment.segment !== '/assign') return badRequest(`The action 'assign' is not defined for '${contract.type}'.`);
    const body = call.body as GraphObject | undefined;
    const assignments = body?.[contract.assignment.bodyProperty];
    if (!Array.isArray(assignments)) return badRequest(`Property '${contract.assignment.bodyProperty}' is required.`);
    stored.relations.assignments = assignments.map((item: GraphObject) => {
      const { id: _ignored, ...rest } = item;
      return { id: `${String(stored.data.id)}_${randomUUID()}`, ...rest };
    });
    return { status: 200, body: { value: stored.relations.assignments } };
  }

  private appendRelation(call: GraphCall, stored: StoredPolicy, name: string): GraphAnswer {
    const body = call.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('Empty Payload. JSON content expected.');
    const item = { id: randomUUID(), ...(body as GraphObject) };
    (stored.relations[name] ??= []).push(item);
    return { status: 201, body: item };
  }

  private format(call: GraphCall, stored: StoredPolicy, expand: string[]): GraphObject {
    const object: GraphObject = { '@odata.context': `${call.baseUrl}/${call.version}/$metadata#${stored.type}/$entity`, ...structuredClone(stored.data) };
    for (const name of expand) if (stored.relations[name]) object[name] = structuredClone(stored.relations[name]);
    return object;
  }
}

function expandNames(query: URLSearchParams): string[] {
  return (query.get('$expand') ?? '')
    .split(',')
    .map((name) => name.trim().split('(')[0])
    .filter(Boolean);
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}

// ---- Encrypted OMA-URI values (GRAPH-WIRE.md section 5) --------------------------------------------
// A minimal stand-in until the rebuilt emulator implements them: an OMA setting written with
// `isEncrypted: true` keeps its plaintext aside and reads masked (`****`) with a fresh
// `secretReferenceValueId`; `getOmaSettingPlainTextValue` answers the plaintext; a write carrying
// `secretReferenceValueId` (read-only) is refused.

const omaPlainTextValues = new WeakMap<StoredPolicy, Map<string, string>>();
const PLAIN_TEXT_SEGMENT = /^getOmaSettingPlainTextValue\(secretReferenceValueId='([^']+)'\)$/;

function sealOmaSecrets(stored: StoredPolicy): void {
  const settings = stored.data.omaSettings;
  if (!Array.isArray(settings)) return;
  const values = omaPlainTextValues.get(stored) ?? new Map<string, string>();
  omaPlainTextValues.set(stored, values);
  for (const setting of settings as GraphObject[]) {
    if (setting?.isEncrypted !== true || typeof setting.value !== 'string' || typeof setting.secretReferenceValueId === 'string') continue;
    const referenceId = randomUUID();
    values.set(referenceId, setting.value);
    Object.assign(setting, { secretReferenceValueId: referenceId, value: '****' });
  }
}

function omaPlainTextValue(stored: StoredPolicy, segment: string): GraphAnswer {
  const referenceId = PLAIN_TEXT_SEGMENT.exec(segment)?.[1];
  const value = referenceId ? omaPlainTextValues.get(stored)?.get(referenceId) : undefined;
  return value === undefined ? notFound(`The secret reference '${referenceId ?? ''}' was not found.`) : { status: 200, body: { value } };
}

function secretReferenceWritten(body: unknown): string | undefined {
  const settings = (body as GraphObject | undefined)?.omaSettings;
  const written = Array.isArray(settings) && settings.some((setting) => typeof setting === 'object' && setting !== null && 'secretReferenceValueId' in setting);
  return written ? "The property 'secretReferenceValueId' is read-only and cannot be set." : undefined;
}
