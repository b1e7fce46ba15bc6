import { randomUUID } from 'node:crypto';
import { POLICY_TYPE_CONTRACTS, type PolicyTypeContract } from '@policyvault/graph';

export type GraphObject = Record<string, unknown>;

export interface StoredPolicy {
  type: string;
  data: GraphObject;
  /** Relations by their Graph name (`assignments`, `settings`…). */
  relations: Record<string, GraphObject[]>;
}

/** One customer directory's Intune objects, in creation order per type. */
export class TenantStore {
  private readonly objects = new Map<string, Map<string, StoredPolicy>>();

  constructor(
    readonly directoryId: string,
    readonly displayName: string,
  ) {}

  list(type: string): StoredPolicy[] {
    return [...(this.objects.get(type)?.values() ?? [])];
  }

  get(type: string, id: string): StoredPolicy | undefined {
    return this.objects.get(type)?.get(id);
  }

  put(policy: StoredPolicy): StoredPolicy {
    let byId = this.objects.get(policy.type);
    if (!byId) {
      byId = new Map();
      this.objects.set(policy.type, byId);
    }
    byId.set(String(policy.data.id), policy);
    return policy;
  }

  delete(type: string, id: string): boolean {
    return this.objects.get(type)?.delete(id) ?? false;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.objects.entries()].map(([type, byId]) => [type, byId.size]));
  }

  total(): number {
    return [...this.objects.values()].reduce((sum, byId) => sum + byId.size, 0);
  }
}

/** Splits an exported or generated object into data and relations, giving relation items ids when missing. */
export function toStoredPolicy(contract: PolicyTypeContract, object: GraphObject): StoredPolicy {
  const data: GraphObject = {};
  const relations: Record<string, GraphObject[]> = {};
  const relationNames = new Set(contract.subResources.map((sub) => sub.name));
  for (const [key, value] of Object.entries(object)) {
    if (relationNames.has(key) && Array.isArray(value)) {
      relations[key] = value.map((item) => ({ id: randomUUID(), ...(item as GraphObject) }));
    } else if (!key.includes('@odata.') || key === '@odata.type') {
      data[key] = value;
    }
  }
  for (const name of relationNames) relations[name] ??= [];
  return { type: contract.type, data, relations };
}

export function contractOf(type: string): PolicyTypeContract {
  return POLICY_TYPE_CONTRACTS[type];
}
