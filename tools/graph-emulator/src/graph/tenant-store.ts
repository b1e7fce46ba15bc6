import { randomUUID } from 'node:crypto';
import { collectionByKey } from '../catalogue/collections.js';

export type GraphObject = Record<string, unknown>;

export interface StoredObject {
  /** Collection key (`deviceConfiguration`, `group`…). */
  key: string;
  data: GraphObject;
  /** Navigation properties by name (`assignments`, `settings`…), items as Graph returns them. */
  relations: Record<string, GraphObject[]>;
}

/** One customer directory's objects, in creation order per collection. */
export class TenantStore {
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  /** Plaintext of encrypted OMA settings by secretReferenceValueId (Graph keeps them encrypted server-side). */
  readonly secrets = new Map<string, string>();
  /** The tenant's device management settings (`deviceManagement/settings`), as a new tenant has them. */
  settings: GraphObject = {
    deviceComplianceCheckinThresholdDays: 30,
    isScheduledActionEnabled: true,
    secureByDefault: false,
    enhancedJailBreak: false,
    enableLogCollection: true,
    enableAutopilotDiagnostics: true,
    enableDeviceGroupMembershipReport: false,
    androidDeviceAdministratorEnrollmentEnabled: false,
  };

  constructor(
    readonly directoryId: string,
    readonly displayName: string,
  ) {}

  list(key: string): StoredObject[] {
    return [...(this.objects.get(key)?.values() ?? [])];
  }

  get(key: string, id: string): StoredObject | undefined {
    return this.objects.get(key)?.get(id);
  }

  put(object: StoredObject): StoredObject {
    let byId = this.objects.get(object.key);
    if (!byId) {
      byId = new Map();
      this.objects.set(object.key, byId);
    }
    byId.set(String(object.data.id), object);
    return object;
  }

  delete(key: string, id: string): boolean {
    return this.objects.get(key)?.delete(id) ?? false;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.objects.entries()].map(([key, byId]) => [key, byId.size]));
  }
}

/** Splits an exported or generated object (relations embedded) into data and relations; relation items get ids when missing. */
export function toStoredObject(key: string, object: GraphObject): StoredObject {
  const navigations = collectionByKey(key)?.navigations ?? {};
  const data: GraphObject = {};
  const relations: Record<string, GraphObject[]> = {};
  for (const [name, value] of Object.entries(object)) {
    if (name in navigations) {
      if (Array.isArray(value)) relations[name] = value.map((item) => ({ id: randomUUID(), ...(item as GraphObject) }));
    } else if (!name.includes('@odata.') || name === '@odata.type') {
      data[name] = value;
    }
  }
  for (const name of Object.keys(navigations)) relations[name] ??= [];
  return { key, data, relations };
}
