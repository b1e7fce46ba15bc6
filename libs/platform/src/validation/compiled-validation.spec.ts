import { plainToInstance, Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  validate,
  validateSync,
  type ValidatorOptions,
} from 'class-validator';
import * as contracts from '@policyvault/contracts';
import { contractClasses, GATEWAY_OPTIONS, MESSAGE_OPTIONS, payloads, UUID } from '../../test/contract-payloads.js';
import { certainlyValid } from './compiled-validation.js';

/** class-validator's verdict (sync and async agree for these classes), and the compiled one on a separate copy. */
async function verdicts(schema: new () => object, payload: object, options: ValidatorOptions) {
  const forClassValidator = plainToInstance(schema, structuredClone(payload));
  const forCompiled = plainToInstance(schema, structuredClone(payload));
  const before = JSON.stringify(forCompiled);
  const compiled = certainlyValid(forCompiled, options);
  expect(JSON.stringify(forCompiled)).toBe(before); // never changes the object
  const errors = validateSync(forClassValidator, { ...options });
  const asyncErrors = await validate(plainToInstance(schema, structuredClone(payload)), { ...options });
  expect(asyncErrors.length === 0).toBe(errors.length === 0);
  return { classValidator: errors.length === 0, compiled };
}

describe('certainlyValid', () => {
  it('finds the contract classes to compare (every class with validation rules that libs/contracts exports)', () => {
    expect(contractClasses.length).toBeGreaterThan(40);
    expect(contractClasses.map(([name]) => name)).toEqual(expect.arrayContaining(['StartRunRequest', 'PolicyTarget', 'RunStatusEvent', 'RunCommand']));
  });

  it.each([
    ['messages', MESSAGE_OPTIONS],
    ['gateway bodies', GATEWAY_OPTIONS],
  ])('gives class-validator verdict on random payloads of every contract class (%s options)', async (_name, options) => {
    let valid = 0;
    let checked = 0;
    for (const [index, [name, schema]] of contractClasses.entries()) {
      for (const payload of payloads(schema, 60, index + 1)) {
        const { classValidator, compiled } = await verdicts(schema, payload, options);
        // The contracts use only synchronous built-in rules: the compiled plan answers every case, both ways.
        if (compiled !== classValidator) throw new Error(`${name} ${JSON.stringify(payload).slice(0, 300)}: compiled ${compiled}, class-validator ${classValidator}`);
        checked += 1;
        if (classValidator) valid += 1;
      }
    }
    // Enough of both kinds for the comparison to mean something (3,660 cases, 387 valid when written).
    expect(checked).toBeGreaterThan(3000);
    expect(valid).toBeGreaterThan(300);
    expect(checked - valid).toBeGreaterThan(2000);
  });

  it('answers the start path messages as class-validator does', async () => {
    const start = {
      tenantId: UUID,
      tenantDirectoryId: 'contoso.onmicrosoft.com',
      type: contracts.RunType.PolicyCaptureSnapshot,
      target: { policyId: UUID },
      scope: {},
      initiator: { userId: UUID, email: 'owner@contoso.test' },
    };
    const cases: [object, boolean][] = [
      [start, true],
      [{ ...start, confirmation: { tenantName: 'Contoso' } }, true],
      [{ ...start, initiator: { userId: UUID, email: 'not an email' } }, false],
      [{ ...start, initiator: { userId: UUID, email: 'owner@contoso.test', role: contracts.TenantRole.Owner } }, false],
      [{ ...start, initiator: null }, false],
      [{ ...start, initiator: 'a string' }, false],
      [{ ...start, initiator: [] }, true], // class-validator: an empty array of nested objects holds no error
      [{ ...start, confirmation: null }, true], // @IsOptional
      [{ ...start, type: 'nope' }, false],
      [{ ...start, extra: 1 }, false],
    ];
    for (const [payload, expected] of cases) {
      for (const options of [MESSAGE_OPTIONS, GATEWAY_OPTIONS]) {
        expect(await verdicts(contracts.StartRunRequest, payload, options)).toEqual({ classValidator: expected, compiled: expected });
      }
    }
  });

  it('remembers the strings a value-only rule (IsEmail) accepted, never one it refused', () => {
    class Contact {
      @IsEmail()
      email!: string;
    }
    const verdict = (email: unknown) => certainlyValid(plainToInstance(Contact, { email }), MESSAGE_OPTIONS);
    for (let round = 0; round < 3; round += 1) {
      expect(verdict('owner@contoso.test')).toBe(true);
      expect(verdict('not an email')).toBe(false);
      expect(verdict(['owner@contoso.test'])).toBe(false);
    }
    // More distinct addresses than it keeps: each still answered by the rule.
    for (let index = 0; index < 1100; index += 1) expect(verdict(`user${index}@contoso.test`)).toBe(true);
    expect(verdict('user1@contoso')).toBe(false);
  });

  describe('what it leaves to class-validator (false, whatever the value)', () => {
    class Child {
      @IsString()
      name!: string;
    }
    class Base {
      @IsUUID('all')
      id!: string;
    }
    class Derived extends Base {
      @IsOptional()
      @IsInt()
      @Min(1)
      count?: number;

      @ValidateIf((object: Derived) => object.count === 2)
      @IsDefined()
      reason?: string;

      @Allow()
      note?: unknown;

      @IsOptional()
      @ValidateNested({ each: true })
      @Type(() => Child)
      children?: Child[];
    }
    class WithAsyncRule {
      @IsString()
      name!: string;
    }
    registerDecorator({
      name: 'eventuallyTrue',
      target: WithAsyncRule,
      propertyName: 'name',
      async: true,
      validator: { validate: async () => true },
    });
    class WithoutRules {}

    it('follows inheritance, optional, ValidateIf, Allow and nested arrays exactly', async () => {
      const cases: [object, boolean][] = [
        [{ id: UUID }, true],
        [{ id: 'x' }, false],
        [{ id: UUID, count: 0 }, false],
        [{ id: UUID, count: 2 }, false], // ValidateIf: reason required
        [{ id: UUID, count: 2, reason: 'why' }, true],
        [{ id: UUID, note: { anything: [1, 2] } }, true],
        [{ id: UUID, children: [{ name: 'a' }, { name: 'b' }] }, true],
        [{ id: UUID, children: [{ name: 'a' }, { name: 1 }] }, false],
        [{ id: UUID, children: [{ name: 'a', extra: 1 }] }, false],
        [{ id: UUID, children: [null] }, false],
        [{ id: UUID, children: 'x' }, false],
        [{ id: UUID, other: 1 }, false],
      ];
      for (const [payload, expected] of cases) {
        for (const options of [MESSAGE_OPTIONS, GATEWAY_OPTIONS]) {
          expect(await verdicts(Derived, payload, options)).toEqual({ classValidator: expected, compiled: expected });
        }
      }
    });

    it('an asynchronous rule, options it does not follow, a class without rules under forbidUnknownValues, a property whitelist would delete', () => {
      expect(certainlyValid(plainToInstance(WithAsyncRule, { name: 'x' }), MESSAGE_OPTIONS)).toBe(false);
      expect(certainlyValid(plainToInstance(Base, { id: UUID }), { ...MESSAGE_OPTIONS, groups: ['a'] })).toBe(false);
      expect(certainlyValid(plainToInstance(Base, { id: UUID }), { ...MESSAGE_OPTIONS, skipMissingProperties: true })).toBe(false);
      expect(certainlyValid(plainToInstance(Base, { id: UUID }), MESSAGE_OPTIONS)).toBe(true);
      expect(certainlyValid(new WithoutRules(), GATEWAY_OPTIONS)).toBe(false);
      expect(certainlyValid(new WithoutRules(), MESSAGE_OPTIONS)).toBe(true);
      expect(certainlyValid(plainToInstance(WithoutRules, { a: 1 }), MESSAGE_OPTIONS)).toBe(false);
      // whitelist without forbidNonWhitelisted deletes unknown properties: class-validator's job.
      expect(certainlyValid(plainToInstance(Base, { id: UUID, other: 1 }), { whitelist: true })).toBe(false);
      expect(certainlyValid(plainToInstance(Base, { id: UUID, other: 1 }), {})).toBe(true);
      expect(validateSync(plainToInstance(Base, { id: UUID, other: 1 }), {})).toEqual([]);
    });
  });
});
