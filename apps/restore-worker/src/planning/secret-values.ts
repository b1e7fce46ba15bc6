import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { GraphError, NO_SECRET_VALUES, isPlainObject, sealedSettings, withSecretSettings, type BatchRequestItem, type GraphClient, type PolicyTypeContract, type SecretComparison } from '@policyvault/graph';
import { SECRET_VALUE_VIEW, SecretCipher, SecretEnvelopeInvalidError, SecretKeyUnavailableError, isSecretEnvelope, type SecretEnvelope } from '@policyvault/platform';
import { itemFailure } from '@policyvault/worker-runtime';

type GraphObject = Record<string, unknown>;

export { NO_SECRET_VALUES, SECRET_VALUE_CHANGED, SECRET_VALUE_LIVE, SECRET_VALUE_UNCHANGED, withSecretMarkers, type SecretComparison } from '@policyvault/graph';

export type SecretCheck = { ok: true; comparison: SecretComparison } | { ok: false; error: SafeError };

/** The live object's OMA-URI settings Graph reads masked, by OMA-URI: their reference ids. */
function liveSecretReferences(object: GraphObject): Map<string, string> {
  const settings = Array.isArray(object.omaSettings) ? object.omaSettings : [];
  const references = new Map<string, string>();
  for (const setting of settings) {
    if (isPlainObject(setting) && setting.isEncrypted === true && typeof setting.secretReferenceValueId === 'string') references.set(String(setting.omaUri), setting.secretReferenceValueId);
  }
  return references;
}

/** A write request as previews store and show it: each secret value `{ secret: true }`. */
export function maskedRequest<T extends { body: GraphObject }>(request: T | null): T | null {
  return request && { ...request, body: withSecretSettings(request.body, () => ({ ...SECRET_VALUE_VIEW })) };
}

/**
 * Secret values on restore (`secret_key_unavailable` and `secret_value_invalid` fail only their item):
 * the planner checks a snapshot's secrets can be opened and compares them with the live ones; the
 * writer decrypts them into the request at the moment it is sent. Plaintext is never part of a plan,
 * a preview, a diff, a log line or a report.
 */
@Injectable()
export class SecretValues {
  constructor(private readonly cipher: SecretCipher) {}

  /**
   * For planning one item: every secret of the snapshot can be opened here, and which of them the live
   * object holds unchanged — its plaintext read with `getOmaSettingPlainTextValue` (GETs in one
   * `$batch`, allowed in previews) and compared by keyed digest, so the backed-up value is not even
   * decrypted. A live value Graph does not give counts as changed (the restore writes it again).
   */
  async compare(client: GraphClient, contract: PolicyTypeContract, snapshot: GraphObject, live: GraphObject | null): Promise<SecretCheck> {
    const sealed = sealedSettings(snapshot);
    for (const { envelope } of sealed) {
      const error = this.unopenable(envelope, contract.type);
      if (error) return { ok: false, error };
    }
    const references = live ? liveSecretReferences(live) : new Map<string, string>();
    const compared = sealed.filter(({ omaUri }) => references.has(omaUri));
    if (!live || compared.length === 0) return { ok: true, comparison: NO_SECRET_VALUES };
    const base = `${contract.collectionPath}/${encodeURIComponent(String(live.id))}`;
    const requests: BatchRequestItem[] = compared.map(({ omaUri }, index) => ({
      id: String(index),
      method: 'GET',
      url: `${base}/getOmaSettingPlainTextValue(secretReferenceValueId='${encodeURIComponent(references.get(omaUri)!)}')`,
    }));
    let results;
    try {
      results = await client.batch(contract.apiVersion, requests);
    } catch (error) {
      // An open breaker postpones the run (itemFailure throws); any other failure leaves the values "changed".
      if (error instanceof GraphError) itemFailure(error, contract.type);
      else throw error;
      return { ok: true, comparison: NO_SECRET_VALUES };
    }
    const unchanged = new Set<string>();
    for (const result of results) {
      if (!result.ok) {
        itemFailure(result.error, contract.type);
        continue;
      }
      const value = isPlainObject(result.body) ? result.body.value : undefined;
      const { omaUri, envelope } = compared[Number(result.id)];
      if (typeof value === 'string' && this.cipher.matches(envelope, value)) unchanged.add(omaUri);
    }
    return { ok: true, comparison: { unchanged } };
  }

  /**
   * The request as sent to Graph: each secret `{ "@odata.type", displayName, omaUri, isEncrypted: true,
   * value: <plaintext> }` without `secretReferenceValueId`. Only for a plan `compare` accepted (every
   * envelope opened then), so it does not fail for an item's data.
   */
  reveal<T extends { body: GraphObject }>(request: T): T {
    return { ...request, body: withSecretSettings(request.body, (setting) => (isSecretEnvelope(setting.value) ? this.cipher.decrypt(setting.value) : setting.value)) };
  }

  /** Why an envelope cannot be opened here (its item fails, the run goes on), or undefined when it can. */
  private unopenable(envelope: SecretEnvelope, policyType: string): SafeError | undefined {
    try {
      this.cipher.decrypt(envelope);
      return undefined;
    } catch (error) {
      if (error instanceof SecretKeyUnavailableError) {
        return {
          code: SafeErrorCode.SecretKeyUnavailable,
          message: 'A secret value of this item was encrypted with a key that is not configured (SECRET_ENCRYPTION_KEYS); nothing is written for it.',
          context: { policyType },
        };
      }
      if (error instanceof SecretEnvelopeInvalidError) {
        return { code: SafeErrorCode.SecretValueInvalid, message: 'A secret value of this item is damaged or was altered; nothing is written for it.', context: { policyType } };
      }
      throw error;
    }
  }
}
