import { classToPlain, plainToInstance, type ClassConstructor, type ClassTransformOptions } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';

/**
 * `plainToInstance` as class-transformer answers it, from the compiled plan when there is one
 * (`plainToInstanceOfPlainClass`: a JSON object, default options), otherwise from class-transformer.
 */
export function plainToInstanceCompiled<T>(schema: ClassConstructor<T>, plain: unknown, options?: ClassTransformOptions): T {
  if (options === undefined && typeof plain === 'object' && plain !== null && !Array.isArray(plain)) {
    const built = plainToInstanceOfPlainClass(schema, plain);
    if (built !== undefined) return built;
  }
  return plainToInstance(schema, plain, options) as T;
}

/** class-transformer for Nest's ValidationPipe (`transformerPackage`), its `plainToInstance` compiled. */
export const compiledClassTransformer = { plainToInstance: plainToInstanceCompiled, classToPlain };

/**
 * `plainToInstance(schema, payload)` with class-transformer's default options, for JSON payloads and contract
 * classes whose only class-transformer metadata is `@Type(() => Class)`: the same instances (each class's own
 * constructor, the same keys in the same order, nested values typed by the same `@Type` functions, untyped objects and
 * arrays copied), from a plan read once per class instead of class-transformer's per-key metadata lookups. Anything
 * it does not follow exactly answers `undefined`, and the caller runs class-transformer:
 * - a class (or an ancestor) with `@Expose`, `@Exclude`, `@Transform`, a discriminator or a Map or Set property;
 * - a `@Type` that names Date, Buffer, Map, Set or a function that is not a class (String, Number and Boolean are
 *   converted, as class-transformer does);
 * - a key that is not a plain data property of the new instance (a method or accessor of its class, `constructor`,
 *   `__proto__`), a value that is not plain JSON data, nesting deeper than MAX_DEPTH.
 */
export function plainToInstanceOfPlainClass<T>(schema: ClassConstructor<T>, payload: object): T | undefined {
  const plan = planFor(schema);
  if (!plan || Object.getPrototypeOf(payload) !== Object.prototype) return undefined;
  try {
    return build(schema as ClassConstructor<object>, plan, payload, 0) as T;
  } catch (error) {
    if (error === NOT_FOLLOWED) return undefined;
    throw error;
  }
}

const MAX_DEPTH = 32;
const NOT_FOLLOWED = Symbol('not followed');

type TypeMetadata = {
  typeFunction?: (options: { newObject: unknown; object: unknown; property: string }) => unknown;
  reflectedType?: unknown;
  options?: { discriminator?: unknown };
};
interface Storage {
  _typeMetadatas: Map<unknown, Map<string, TypeMetadata>>;
  _transformMetadatas: Map<unknown, unknown>;
  _exposeMetadatas: Map<unknown, unknown>;
  _excludeMetadatas: Map<unknown, unknown>;
}
const storage = defaultMetadataStorage as unknown as Storage;

/**
 * Per class: its `@Type` properties (own and inherited, the class's own winning, as class-transformer looks them up),
 * and the names its instances inherit (methods, accessors, `constructor`, Object.prototype's): keys class-transformer
 * skips or fails on. Null when the class is not followed.
 */
type Plan = { types: Map<string, TypeMetadata>; inherited: Set<string> } | null;
const plans = new Map<unknown, Plan>();
/** Types class-transformer converts to instead of building an instance of (the primitive wrappers are followed: `copy`). */
const CONVERTED = new Set<unknown>([String, Number, Boolean, Date, Map, Set, Promise, Array, Object, globalThis.Buffer].filter(Boolean));
const PRIMITIVE_WRAPPERS = new Set<unknown>([String, Number, Boolean]);

function planFor(schema: unknown): Plan {
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = compile(schema);
    plans.set(schema, plan);
  }
  return plan;
}

function compile(schema: unknown): Plan {
  if (typeof schema !== 'function' || CONVERTED.has(schema)) return null;
  const lineage: unknown[] = [schema];
  for (let base = Object.getPrototypeOf(schema); typeof base === 'function' && base.prototype !== undefined; base = Object.getPrototypeOf(base)) lineage.push(base);
  const types = new Map<string, TypeMetadata>();
  // Ancestors first, so that the class's own metadata replaces an inherited one (findTypeMetadata's order).
  for (const target of lineage.reverse()) {
    if (storage._transformMetadatas.has(target) || storage._exposeMetadatas.has(target) || storage._excludeMetadatas.has(target)) return null;
    for (const [property, metadata] of storage._typeMetadatas.get(target) ?? []) {
      if (!metadata.typeFunction || metadata.options?.discriminator || !plainArrayType(metadata.reflectedType)) return null;
      types.set(property, metadata);
    }
  }
  return { types, inherited: inheritedNames((schema as { prototype: object }).prototype) };
}

/** class-transformer builds an array value as an instance of the property's reflected type when that has `push`: only a plain array is followed. */
function plainArrayType(reflectedType: unknown): boolean {
  if (reflectedType === Map || reflectedType === Set) return false;
  return typeof reflectedType !== 'function' || reflectedType === Array || !('push' in (reflectedType as { prototype: object }).prototype);
}

function inheritedNames(prototype: object | null): Set<string> {
  const names = new Set<string>(['__proto__']);
  for (let level = prototype; level !== null; level = Object.getPrototypeOf(level)) for (const name of Object.getOwnPropertyNames(level)) names.add(name);
  return names;
}

const OBJECT_NAMES = inheritedNames(Object.prototype);

function build(schema: new () => object, plan: NonNullable<Plan>, value: object, depth: number): object {
  if (depth > MAX_DEPTH) throw NOT_FOLLOWED;
  const instance = new schema() as Record<string, unknown>;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    // A name the instance inherits (a method or accessor of its class, Object.prototype's) is skipped or fails in
    // class-transformer, and so does a function-valued field the constructor set.
    if (plan.inherited.has(key) || typeof instance[key] === 'function') throw NOT_FOLLOWED;
    const subValue = source[key];
    const metadata = plan.types.get(key);
    let type: unknown;
    if (metadata) {
      type = metadata.typeFunction!({ newObject: instance, object: source, property: key });
      if (type !== undefined && (typeof type !== 'function' || (CONVERTED.has(type) && !PRIMITIVE_WRAPPERS.has(type)))) throw NOT_FOLLOWED;
    }
    instance[key] = copy(subValue, type, depth + 1);
  }
  return instance;
}

/** class-transformer's `transform` for JSON data: arrays item by item, String/Number/Boolean converted, objects as instances of `type` or copied. */
function copy(value: unknown, type: unknown, depth: number): unknown {
  if (PRIMITIVE_WRAPPERS.has(type) && !Array.isArray(value)) {
    if (value === null || value === undefined) return value;
    if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype) throw NOT_FOLLOWED;
    return (type as (value: unknown) => unknown)(value);
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw NOT_FOLLOWED;
    return value;
  }
  if (depth > MAX_DEPTH) throw NOT_FOLLOWED;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw NOT_FOLLOWED;
    const items: unknown[] = [];
    // JSON arrays have no holes; forEach (class-transformer's loop) would skip one, so one is not followed.
    for (let index = 0; index < value.length; index += 1) {
      if (!(index in value)) throw NOT_FOLLOWED;
      items.push(copy(value[index], type, depth + 1));
    }
    return items;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw NOT_FOLLOWED;
  if (type === undefined) return copyObject(value as Record<string, unknown>, depth);
  const plan = planFor(type);
  if (!plan) throw NOT_FOLLOWED;
  return build(type as new () => object, plan, value, depth);
}

/** An untyped object: a plain copy, without the keys class-transformer skips (Object.prototype's methods). */
function copyObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (OBJECT_NAMES.has(key)) throw NOT_FOLLOWED;
    result[key] = copy(value[key], undefined, depth + 1);
  }
  return result;
}
