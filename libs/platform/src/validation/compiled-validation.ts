import { getMetadataStorage, ValidationTypes, type ValidatorOptions } from 'class-validator';

/**
 * A fast, exact "yes" for class-validator: `certainlyValid(object, options)` is true only when
 * `validate(object, options)` / `validateSync(object, options)` would report no error, and it never changes the
 * object. It answers from a plan compiled once per class from class-validator's own metadata (the same lookup
 * class-validator makes on every call, which scans every registered class) and calls the very same constraint
 * functions (`@IsUUID`'s, `@Length`'s, a custom decorator's), in class-validator's order and with its
 * arguments. Anything it does not follow exactly answers false, and the caller then runs class-validator,
 * which decides and words the errors: an asynchronous constraint, `@ValidatePromise`, options other than
 * whitelist / forbidNonWhitelisted / forbidUnknownValues, an object without rules under forbidUnknownValues, a
 * property whitelist would delete, any failing constraint. So messages and behaviour are class-validator's,
 * and a valid input — nearly every input — costs a fraction of its time.
 *
 * A class's plan is built at its first validation from the metadata its decorators registered when the class
 * was defined (its own and its ancestors'); rules registered for a class later (`registerDecorator` at run
 * time) are not seen by an existing plan, and each constraint's instance is taken from class-validator's container
 * once (the default container keeps one per constraint class; `useContainer` is not used here).
 */
export function certainlyValid(object: object, options: ValidatorOptions = {}): boolean {
  const flags = supportedFlags(options);
  return flags !== null && objectIsValid(object, flags, 0);
}

interface Flags {
  whitelist: boolean;
  forbidNonWhitelisted: boolean;
  forbidUnknownValues: boolean;
}

/** Options that change a valid verdict or the object are not followed: class-validator decides those. */
const NEUTRAL_OPTIONS = new Set(['whitelist', 'forbidNonWhitelisted', 'forbidUnknownValues', 'validationError', 'enableDebugMessages', 'stopAtFirstError', 'dismissDefaultMessages']);

function supportedFlags(options: ValidatorOptions): Flags | null {
  for (const key in options) {
    const value = options[key as keyof ValidatorOptions];
    if (value !== undefined && value !== false && !NEUTRAL_OPTIONS.has(key)) return null;
  }
  return {
    whitelist: options.whitelist === true,
    forbidNonWhitelisted: options.forbidNonWhitelisted === true,
    // class-validator: "turned on by default and any other value than false will enable it".
    forbidUnknownValues: options.forbidUnknownValues !== false,
  };
}

/** Deeper than this (class-validator has no limit) is left to class-validator. */
const MAX_DEPTH = 32;

type Metadata = {
  type: string;
  name?: string;
  propertyName: string;
  constraints: unknown[];
  constraintCls: new (...args: unknown[]) => unknown;
  each?: boolean;
  validateIf?: (object: object, value: unknown) => boolean;
};
type ConstraintMetadata = {
  async: boolean;
  readonly instance: { validate(value: unknown, args: object): unknown };
};
type Storage = {
  getTargetValidationMetadatas(target: unknown, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]): Metadata[];
  groupByPropertyName(metadatas: Metadata[]): Record<string, Metadata[]>;
  getTargetValidatorConstraints(target: unknown): ConstraintMetadata[];
};

interface CustomRule {
  metadata: Metadata;
  /** The constraints' instances, taken once (class-validator looks each up in its container on every call). */
  validators: { validate(value: unknown, args: object): unknown }[];
  /** For a costly rule that depends on the value alone: strings it accepted lately (an initiator's email, event after event). */
  accepted?: Set<string>;
}

/**
 * class-validator's own rules whose verdict depends on the value and the rule's fixed constraints only (validator.js
 * functions) and costs more than a lookup; their accepted strings are remembered, at most ACCEPTED_PER_RULE per rule.
 */
const VALUE_ONLY_RULES = new Set(['isEmail', 'isUUID', 'isISO8601', 'isUrl']);
const ACCEPTED_PER_RULE = 1024;
interface PropertyPlan {
  name: string;
  conditions: Metadata[];
  defined: CustomRule[];
  custom: CustomRule[];
  nested: boolean;
}
type ClassPlan = { supported: false } | { supported: true; hasRules: boolean; allowed: Set<string>; properties: PropertyPlan[] };

const UNSUPPORTED: ClassPlan = { supported: false };
const KNOWN_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
  ValidationTypes.IS_DEFINED,
]);
const plans = new Map<unknown, ClassPlan>();

function planFor(constructor: unknown): ClassPlan {
  if (typeof constructor !== 'function') return UNSUPPORTED;
  let plan = plans.get(constructor);
  if (!plan) {
    plan = compile(constructor);
    plans.set(constructor, plan);
  }
  return plan;
}

function compile(constructor: unknown): ClassPlan {
  const storage = getMetadataStorage() as unknown as Storage;
  // The arguments class-validator passes without groups, `always` or `strictGroups`.
  const metadatas = storage.getTargetValidationMetadatas(constructor, undefined, false, false, undefined);
  if (metadatas.some((metadata) => !KNOWN_TYPES.has(metadata.type))) return UNSUPPORTED;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyPlan[] = [];
  for (const [name, own] of Object.entries(grouped)) {
    const rules = (type: string): CustomRule[] | null => {
      const selected = own.filter((metadata) => metadata.type === type);
      const constraints = selected.map((metadata) => storage.getTargetValidatorConstraints(metadata.constraintCls));
      if (constraints.some((list) => list.some((constraint) => constraint.async))) return null;
      return selected.map((metadata, index) => ({
        metadata,
        validators: constraints[index].map((constraint) => constraint.instance),
        ...(metadata.name && VALUE_ONLY_RULES.has(metadata.name) && !metadata.validateIf ? { accepted: new Set<string>() } : {}),
      }));
    };
    const defined = rules(ValidationTypes.IS_DEFINED);
    const custom = rules(ValidationTypes.CUSTOM_VALIDATION);
    if (!defined || !custom) return UNSUPPORTED;
    properties.push({
      name,
      conditions: own.filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION),
      defined,
      custom,
      nested: own.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  const allowed = new Set(Object.keys(grouped).filter((name) => grouped[name].length > 0));
  return { supported: true, hasRules: metadatas.length > 0, allowed, properties };
}

/** ValidationExecutor.execute, for a valid verdict only. */
function objectIsValid(object: object, flags: Flags, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const plan = planFor(object.constructor);
  if (!plan.supported) return false;
  if (flags.forbidUnknownValues && !plan.hasRules) return false;
  // A property without rules is an error (forbidNonWhitelisted) or deleted (whitelist alone): either way not ours.
  if (flags.whitelist) {
    for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  }
  for (const property of plan.properties) {
    if (!propertyIsValid(object, (object as Record<string, unknown>)[property.name], property, flags, depth)) return false;
  }
  return true;
}

/** ValidationExecutor.performValidations without skip options. */
function propertyIsValid(object: object, value: unknown, property: PropertyPlan, flags: Flags, depth: number): boolean {
  if (value instanceof Promise) return false;
  let validate = true;
  for (const condition of property.conditions) validate = (condition.constraints[0] as (object: object, value: unknown) => boolean)(object, value) && validate;
  if (!validate) return true;
  if (!rulesHold(object, value, property.defined)) return false;
  if (!rulesHold(object, value, property.custom)) return false;
  return !property.nested || nestedIsValid(value, flags, depth);
}

/** ValidationExecutor.customValidations: every constraint of every rule holds (synchronously). */
function rulesHold(object: object, value: unknown, rules: CustomRule[]): boolean {
  for (const { metadata, validators, accepted } of rules) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    const remembered = accepted !== undefined && !metadata.each && typeof value === 'string';
    if (remembered && accepted.has(value)) continue;
    for (const instance of validators) {
      const args = {
        targetName: object.constructor ? object.constructor.name : undefined,
        property: metadata.propertyName,
        object,
        value,
        constraints: metadata.constraints,
      };
      if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        if (!isTrueSync(instance.validate(value, args))) return false;
        continue;
      }
      const items = value instanceof Map ? Array.from(value.values()) : Array.isArray(value) ? value : Array.from(value);
      for (const item of items) if (!isTrueSync(instance.validate(item, args))) return false;
    }
    if (remembered) {
      if (accepted.size >= ACCEPTED_PER_RULE) accepted.clear();
      accepted.add(value);
    }
  }
  return true;
}

function isTrueSync(result: unknown): boolean {
  return Boolean(result) && !(result instanceof Promise || (typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function'));
}

/** ValidationExecutor.nestedValidations: undefined passes, arrays item by item, objects by their own class's rules. */
function nestedIsValid(value: unknown, flags: Flags, depth: number): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    const items: unknown[] = value instanceof Set ? Array.from(value) : value instanceof Map ? Array.from(value.values()) : value;
    for (const item of items) if (!nestedIsValid(item, flags, depth + 1)) return false;
    return true;
  }
  if (value instanceof Object) return objectIsValid(value, flags, depth + 1);
  return false;
}
