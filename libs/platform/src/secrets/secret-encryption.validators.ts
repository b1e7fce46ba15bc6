// class-validator rules for the key configuration, so a config class validates it at boot like every
// other variable. The constraint names are what a boot error prints (never the key material).
import { Validate, ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import { parseSecretKeys } from './secret-keys.js';

@ValidatorConstraint({ name: 'keyId:base64 of 32 bytes, comma separated, unique key ids' })
class SecretKeyListConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseSecretKeys(value).ok;
  }
}

@ValidatorConstraint({ name: 'one of the key ids in SECRET_ENCRYPTION_KEYS' })
class ConfiguredSecretKeyIdConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const keysText = (args.object as Record<string, unknown>)[args.constraints[0] as string];
    if (typeof value !== 'string' || typeof keysText !== 'string' || keysText === '') return false;
    const parsed = parseSecretKeys(keysText);
    // Unparseable keys are reported on their own variable.
    return !parsed.ok || parsed.keys.has(value);
  }
}

/** `keyId:base64,keyId:base64`, each key 32 bytes (SECRET_ENCRYPTION_KEYS). */
export const IsSecretKeyList = (): PropertyDecorator => Validate(SecretKeyListConstraint);

/** One of the key ids listed in the named property (SECRET_ENCRYPTION_ACTIVE_KEY). */
export const IsConfiguredSecretKeyId = (keysProperty: string): PropertyDecorator => Validate(ConfiguredSecretKeyIdConstraint, [keysProperty]);
