import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { SecretCipher, SecretKeyUnavailableError, isSecretEnvelope, mapSecretEnvelopes } from '@policyvault/platform';

type GraphObject = Record<string, unknown>;

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export type SecretsChecked = { ok: true; object: GraphObject } | { ok: false; error: SafeError };

function holdsOmittedSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsOmittedSecret);
  if (!isPlainObject(value)) return false;
  if (value.policyVaultSecretOmitted === true) return true;
  return Object.values(value).some(holdsOmittedSecret);
}

/**
 * Secret values of an imported object, under the same rules as a capture's (ARCHITECTURE "Secret values
 * from Graph"): a PolicyVault envelope (an `encrypted` export) is kept as it is when this deployment holds
 * its key and it opens (so its content hash is the exported one); a value an `omit` export left out fails the
 * item (there is nothing to restore it from); an OMA-URI value marked `isEncrypted` but written in plaintext
 * (another tool's export) is sealed before it is stored. Plaintext is never logged or kept.
 */
@Injectable()
export class ImportedSecrets {
  constructor(private readonly cipher: SecretCipher) {}

  check(object: GraphObject): SecretsChecked {
    if (holdsOmittedSecret(object)) {
      return { ok: false, error: { code: SafeErrorCode.SecretValueOmitted, message: 'The file holds a secret value its export left out; the object cannot be restored from it.' } };
    }
    let failure: SafeError | undefined;
    mapSecretEnvelopes(object, (envelope) => {
      if (failure) return envelope;
      try {
        this.cipher.decrypt(envelope);
      } catch (error) {
        failure =
          error instanceof SecretKeyUnavailableError
            ? { code: SafeErrorCode.SecretKeyUnavailable, message: 'A secret value was encrypted with a key this deployment does not hold.' }
            : { code: SafeErrorCode.SecretValueInvalid, message: 'A secret value of the file is malformed or was altered.' };
      }
      return envelope;
    });
    if (failure) return { ok: false, error: failure };
    if (!Array.isArray(object.omaSettings)) return { ok: true, object };
    const omaSettings = object.omaSettings.map((setting) => {
      if (!isPlainObject(setting) || setting.isEncrypted !== true || typeof setting.value !== 'string' || isSecretEnvelope(setting.value)) return setting;
      const { secretReferenceValueId: _reference, ...rest } = setting;
      return { ...rest, value: this.cipher.encrypt(setting.value) };
    });
    return { ok: true, object: { ...object, omaSettings } };
  }
}
