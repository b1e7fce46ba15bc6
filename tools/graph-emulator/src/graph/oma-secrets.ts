import { randomUUID } from 'node:crypto';
import type { GraphObject, StoredObject, TenantStore } from './tenant-store.js';

export const MASKED_SECRET = '****';

/**
 * Encrypted OMA-URI values (`isEncrypted: true`) are kept by Graph server-side and read back masked with a
 * fresh `secretReferenceValueId`; the plaintext is only returned by `getOmaSettingPlainTextValue`.
 * Replaces every encrypted value in `data.omaSettings` that carries plaintext by its masked form.
 */
export function sealOmaSettings(tenant: TenantStore, data: GraphObject): void {
  if (!Array.isArray(data.omaSettings)) return;
  data.omaSettings = data.omaSettings.map((setting: GraphObject) => {
    if (setting?.isEncrypted !== true || setting.value === MASKED_SECRET || typeof setting.value !== 'string') return setting;
    // Seeds and the admin API may name the reference (deterministic seeds); Graph callers cannot (read-only).
    const secretReferenceValueId = typeof setting.secretReferenceValueId === 'string' ? setting.secretReferenceValueId : randomUUID();
    tenant.secrets.set(secretReferenceValueId, setting.value);
    return { ...setting, secretReferenceValueId, value: MASKED_SECRET };
  });
}

/** The plaintext of one of this object's encrypted OMA settings, undefined when the reference is not its own. */
export function plainTextOf(tenant: TenantStore, stored: StoredObject, secretReferenceValueId: string): string | undefined {
  const settings = Array.isArray(stored.data.omaSettings) ? (stored.data.omaSettings as GraphObject[]) : [];
  if (!settings.some((setting) => setting.secretReferenceValueId === secretReferenceValueId)) return undefined;
  return tenant.secrets.get(secretReferenceValueId);
}
