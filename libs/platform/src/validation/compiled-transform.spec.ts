import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import * as contracts from '@policyvault/contracts';
import { contractClasses, payloads, UUID } from '../../test/contract-payloads.js';
import { plainToInstanceCompiled, plainToInstanceOfPlainClass } from './compiled-transform.js';

/** The same object graph: the same prototype at every level, the same own keys in the same order, the same leaves. */
function expectSame(actual: unknown, expected: unknown, path = '$'): void {
  if (expected === null || typeof expected !== 'object') {
    if (!Object.is(actual, expected)) throw new Error(`${path}: ${String(actual)} instead of ${String(expected)}`);
    return;
  }
  if (actual === null || typeof actual !== 'object') throw new Error(`${path}: ${String(actual)} instead of an object`);
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) {
    throw new Error(`${path}: a ${(actual as object).constructor?.name} instead of a ${(expected as object).constructor?.name}`);
  }
  const keys = Reflect.ownKeys(expected);
  expect({ path, keys: Reflect.ownKeys(actual) }).toEqual({ path, keys });
  for (const key of keys) expectSame((actual as Record<PropertyKey, unknown>)[key], (expected as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`);
}

/** Both ways on separate copies (class-transformer may change its input); the compiled one when it answers. */
function compare(schema: new () => object, payload: object): boolean {
  const compiled = plainToInstanceOfPlainClass(schema, JSON.parse(JSON.stringify(payload)) as object);
  if (compiled === undefined) return false;
  expectSame(compiled, plainToInstance(schema, JSON.parse(JSON.stringify(payload)) as object));
  return true;
}

describe('plainToInstanceOfPlainClass', () => {
  it('builds what plainToInstance builds, for random payloads of every contract class, and follows every one of them', () => {
    let compared = 0;
    const notFollowed = new Set<string>();
    for (const [index, [name, schema]] of contractClasses.entries()) {
      for (const payload of payloads(schema, 60, index + 1)) {
        if (compare(schema, payload)) compared += 1;
        else notFollowed.add(name);
      }
    }
    // Every contract class has only @Type metadata: none is left to class-transformer.
    expect([...notFollowed]).toEqual([]);
    expect(compared).toBeGreaterThan(3000);
  });

  it('builds nested contract classes as instances, keeps unknown keys, and copies untyped objects and arrays', () => {
    const event = {
      eventId: 'run:1:queued',
      kind: 'transition',
      runId: UUID,
      tenantId: UUID,
      type: contracts.RunType.BackupSetCreate,
      status: contracts.RunStatus.Queued,
      cancelRequested: false,
      counts: { total: 1, succeeded: 0, failed: 0, skipped: 0, extra: [1] },
      initiator: { userId: UUID, email: 'owner@contoso.test' },
      error: null,
      summary: { nested: [{ deep: { value: 1 } }, [2, [3]]] },
      occurredAt: '2026-12-02T00:00:00Z',
      unknown: { a: 1 },
    };
    const input = JSON.parse(JSON.stringify(event)) as typeof event;
    const built = plainToInstanceOfPlainClass(contracts.RunStatusEvent, input)!;
    expect(built).toBeInstanceOf(contracts.RunStatusEvent);
    expect(built.counts).toBeInstanceOf(contracts.RunCountsMessage);
    expect(built.summary).not.toBe(input.summary);
    expect((built.summary as { nested: unknown[] }).nested[0]).not.toBe(input.summary.nested[0]);
    expectSame(built, plainToInstance(contracts.RunStatusEvent, JSON.parse(JSON.stringify(event)) as object));
    expect(input).toEqual(event); // the payload is not changed
  });

  describe('classes and values it follows exactly', () => {
    class Leaf {
      @IsString()
      name!: string;
    }
    class Base {
      @ValidateNested()
      @Type(() => Leaf)
      leaf?: Leaf;

      @IsOptional()
      @Type(() => Leaf)
      replaced?: unknown;
    }
    class Other {
      @IsString()
      other!: string;
    }
    class Derived extends Base {
      @Type(() => Other)
      declare replaced?: Other;

      @Type(() => Leaf)
      grid?: Leaf[][];

      @Type(() => Number)
      count?: number;

      @Type(() => String)
      labels?: string[];

      @Type(() => Boolean)
      flag?: boolean;

      // The type chosen from the object being built, as @Type allows.
      @Type((options) => ((options?.object as { kind?: string }).kind === 'other' ? Other : Leaf))
      chosen?: Leaf | Other;

      kind?: string;
      initialized = 'default';
    }

    it.each([
      ['inherited and overridden @Type', { leaf: { name: 'a' }, replaced: { other: 'b' } }],
      ['arrays of arrays of a class, and primitives or null where a class is declared', { grid: [[{ name: 'a' }, 1], [], [null, 'x']], leaf: null, replaced: 3 }],
      ['a @Type function reading the object', { kind: 'other', chosen: { other: 'x' } }],
      ['the same, the other way', { kind: 'leaf', chosen: { name: 'x' } }],
      ['a field with an initializer, overwritten or kept', { initialized: 'given' }],
      ['String, Number and Boolean converted, arrays item by item, null kept', { count: '12', labels: [1, null, true, { a: 1 }], flag: 'false' }],
      ['the same with other values', { count: null, labels: 'x', flag: 0 }],
      ['keys in their own order, unknown ones kept', { zeta: 1, leaf: { name: 'a', more: true }, alpha: [{ x: 1 }] }],
    ])('%s', (_name, payload) => {
      expect(compare(Derived, payload)).toBe(true);
    });
  });

  describe('what it leaves to class-transformer (undefined)', () => {
    class WithExpose {
      @Expose({ name: 'display_name' })
      displayName?: string;
    }
    class WithTransform {
      @Transform(({ value }) => String(value).trim())
      name?: string;
    }
    @Exclude()
    class ExcludeAll {
      @Expose()
      shown?: string;
    }
    class WithDiscriminator {
      @Type(() => Object, { discriminator: { property: 'kind', subTypes: [] } })
      value?: object;
    }
    class WithDate {
      @Type(() => Date)
      at?: Date;
    }
    class WithAccessor {
      private stored = '';

      get name(): string {
        return this.stored;
      }
    }
    class WithMethod {
      describe(): string {
        return 'x';
      }
    }
    class Parent {
      @Type(() => WithTransform)
      child?: WithTransform;
    }

    it.each([
      ['@Expose', WithExpose, { display_name: 'x' }],
      ['@Transform', WithTransform, { name: ' x ' }],
      ['@Exclude on the class', ExcludeAll, { shown: 'x', hidden: 'y' }],
      ['a discriminator', WithDiscriminator, { value: { kind: 'a' } }],
      ['a @Type naming Date', WithDate, { at: '2026-01-01' }],
      ['a key naming an accessor of the class', WithAccessor, { name: 'x' }],
      ['a key naming a method of the class', WithMethod, { describe: 'x' }],
      ['a key naming a method of Object.prototype', WithMethod, { toString: 'x' }],
      ['a constructor key', WithMethod, JSON.parse('{"constructor": {"a": 1}}') as object],
      ['a __proto__ key', WithMethod, JSON.parse('{"__proto__": {"a": 1}}') as object],
      ['a nested class that is not followed', Parent, { child: { name: 'x' } }],
      ['a nested untyped object with a toString key', WithMethod, { data: { toString: 1 } }],
    ])('%s', (_name, schema, payload) => {
      expect(plainToInstanceOfPlainClass(schema as new () => object, payload)).toBeUndefined();
    });

    it('a value that is not JSON data, and nesting beyond its depth', () => {
      class Plain {
        data?: unknown;
      }
      expect(plainToInstanceOfPlainClass(Plain, { data: new Date() })).toBeUndefined();
      expect(plainToInstanceOfPlainClass(Plain, { data: () => 1 })).toBeUndefined();
      expect(plainToInstanceOfPlainClass(Plain, Object.create({ inherited: 1 }) as object)).toBeUndefined();
      let deep: unknown = 1;
      for (let level = 0; level < 40; level += 1) deep = [deep];
      expect(plainToInstanceOfPlainClass(Plain, { data: deep })).toBeUndefined();
      expect(compare(Plain, { data: [[[[1]]]] })).toBe(true);
    });
  });

  describe('plainToInstanceCompiled', () => {
    it('answers from the plan without options, from class-transformer with them or for an array', () => {
      const counts = { total: '3', succeeded: 1, failed: 0, skipped: 0 };
      const compiled = plainToInstanceCompiled(contracts.RunCountsMessage, { ...counts });
      expect(compiled).toBeInstanceOf(contracts.RunCountsMessage);
      expectSame(compiled, plainToInstance(contracts.RunCountsMessage, { ...counts }));
      // Options the plan does not follow: class-transformer converts the string by the declared type.
      expect(plainToInstanceCompiled(contracts.RunCountsMessage, { ...counts }, { enableImplicitConversion: true }).total).toBe(3);
      const many = plainToInstanceCompiled(contracts.RunCountsMessage, [counts, counts]) as unknown as contracts.RunCountsMessage[];
      expect(many).toHaveLength(2);
      expect(many[1]).toBeInstanceOf(contracts.RunCountsMessage);
    });
  });
});
