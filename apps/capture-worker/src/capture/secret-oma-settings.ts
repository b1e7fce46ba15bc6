import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { getPolicyTypeContract, type BatchItemResult, type BatchRequestItem, type GraphClient } from '@policyvault/graph';
import { SecretCipher } from '@policyvault/platform';
import { itemFailure } from '@policyvault/worker-runtime';

type GraphObject = Record<string, unknown>;

/** The one policy type whose objects hold secret values today (custom profiles' OMA-URI settings). */
const SECRET_HOLDING_TYPE = 'deviceConfiguration';

export type SealedObject = { ok: true; object: GraphObject } | { ok: false; error: SafeError };

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An OMA-URI setting Graph reads masked: its plaintext must be asked for by reference. */
function secretReference(setting: unknown): string | undefined {
  if (!isPlainObject(setting) || setting.isEncrypted !== true) return undefined;
  return typeof setting.secretReferenceValueId === 'string' && setting.secretReferenceValueId !== '' ? setting.secretReferenceValueId : undefined;
}

/**
 * Encrypted OMA-URI values of device configurations, made restorable: Graph reads them masked with a
 * `secretReferenceValueId`; their plaintext comes from `getOmaSettingPlainTextValue` (GETs in `$batch`,
 * paced with every other read of the tenant) and is stored only as an envelope (SecretCipher). The
 * stored setting is what a restore writes: `secretReferenceValueId` (read-only, valid only for the object
 * it came from) is left out. The plaintext is never logged, reported or kept beyond this call.
 */
@Injectable()
export class SecretOmaSettings {
  constructor(private readonly cipher: SecretCipher) {}

  /** Per object, in input order: the object with its secret values sealed, or the error that fails its item. */
  async seal(client: GraphClient, policyType: string, objects: GraphObject[]): Promise<SealedObject[]> {
    const lookup = getPolicyTypeContract(policyType);
    if (policyType !== SECRET_HOLDING_TYPE || !lookup.supported) return objects.map((object) => ({ ok: true, object }));
    const { contract } = lookup;
    const requests: BatchRequestItem[] = [];
    objects.forEach((object, objectIndex) => {
      const settings = Array.isArray(object.omaSettings) ? object.omaSettings : [];
      settings.forEach((setting, settingIndex) => {
        const reference = secretReference(setting);
        if (!reference) return;
        const base = `${contract.collectionPath}/${encodeURIComponent(String(object.id))}`;
        requests.push({ id: `${objectIndex}:${settingIndex}`, method: 'GET', url: `${base}/getOmaSettingPlainTextValue(secretReferenceValueId='${encodeURIComponent(reference)}')` });
      });
    });
    if (requests.length === 0) return objects.map((object) => ({ ok: true, object }));
    const results = new Map<string, BatchItemResult>((await client.batch(contract.apiVersion, requests)).map((result) => [result.id, result]));
    return objects.map((object, objectIndex) => this.sealObject(object, objectIndex, results, policyType));
  }

  private sealObject(object: GraphObject, objectIndex: number, results: Map<string, BatchItemResult>, policyType: string): SealedObject {
    if (!Array.isArray(object.omaSettings)) return { ok: true, object };
    const sealed: unknown[] = [];
    for (const [settingIndex, setting] of object.omaSettings.entries()) {
      if (!secretReference(setting)) {
        sealed.push(setting);
        continue;
      }
      const plaintext = plaintextOf(results.get(`${objectIndex}:${settingIndex}`), policyType);
      if (typeof plaintext !== 'string') return { ok: false, error: plaintext };
      const { secretReferenceValueId: _reference, ...rest } = setting as GraphObject;
      sealed.push({ ...rest, value: this.cipher.encrypt(plaintext) });
    }
    return { ok: true, object: { ...object, omaSettings: sealed } };
  }
}

/** The plaintext, or the item's error (an open breaker postpones the run, as for every read). */
function plaintextOf(result: BatchItemResult | undefined, policyType: string): string | SafeError {
  const unreadable = (context: SafeError['context']): SafeError => ({
    code: SafeErrorCode.SecretValueUnreadable,
    message: 'Graph did not return the value of an encrypted OMA-URI setting; nothing was stored for this policy.',
    context: { ...context, policyType },
  });
  if (!result) return unreadable({});
  if (!result.ok) return unreadable(itemFailure(result.error, policyType).context);
  const value = isPlainObject(result.body) ? result.body.value : undefined;
  return typeof value === 'string' ? value : unreadable({ httpStatus: result.status });
}
