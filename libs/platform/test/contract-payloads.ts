// Payloads for comparing the compiled validation and transformation with class-validator and class-transformer:
// every class with validation rules that libs/contracts exports, and payloads near the edge of valid for each.
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidatorOptions } from 'class-validator';
import * as contracts from '@policyvault/contracts';

export const UUID = '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60';
export const MESSAGE_OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false };
export const GATEWAY_OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false } };

/** Values a property may get: valid ones for the contracts' common rules, and wrong ones of every kind. */
export const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'Nightly backup',
  'deviceConfiguration',
  'owner@contoso.test',
  '2026-01-01T02:00:00Z',
  'not a uuid',
  'a'.repeat(300),
  UUID,
  0,
  1,
  7,
  -3,
  1.5,
  true,
  false,
  [],
  [UUID],
  ['deviceConfiguration', 'settingsCatalog'],
  ['x', 1],
  [null],
  [{ userId: UUID, email: 'owner@contoso.test' }],
  {},
  { userId: UUID, email: 'owner@contoso.test' },
  { policyId: UUID },
  { previewRunId: UUID },
  { tenantName: 'Contoso' },
  { unknown: 1 },
  new Array(120).fill(UUID),
];

/** A small deterministic generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function propertiesOf(schema: new () => object): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(schema, '', false, false);
  return [...new Set(metadatas.map((metadata) => metadata.propertyName))];
}

function shuffled<T>(items: T[], next: () => number): T[] {
  return items
    .map((item) => ({ item, key: next() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

/**
 * Payloads for a class near the edge of valid: one built property by property (each gets the first value of the
 * pool, in random order, that class-validator accepts for it; absent when none), and variants of it with one
 * property replaced by any value of the pool, removed, or an unknown property added.
 */
export function payloads(schema: new () => object, variants: number, seed: number): Record<string, unknown>[] {
  const next = random(seed);
  const names = propertiesOf(schema);
  const base: Record<string, unknown> = {};
  for (const name of shuffled(names, next)) {
    for (const value of shuffled(VALUES, next)) {
      const errors = validateSync(plainToInstance(schema, structuredClone({ ...base, [name]: value })), MESSAGE_OPTIONS);
      if (!errors.some((error) => error.property === name)) {
        if (value !== undefined) base[name] = value;
        break;
      }
    }
  }
  const cases = [base];
  for (let index = 0; index < variants; index += 1) {
    const variant = { ...base };
    const name = names[Math.floor(next() * names.length)];
    const choice = next();
    if (choice < 0.1) delete variant[name];
    else if (choice < 0.2) variant.extra = 'x';
    else variant[name] = VALUES[Math.floor(next() * VALUES.length)];
    cases.push(variant);
  }
  return cases;
}

export const contractClasses = Object.entries(contracts).filter(
  (entry): entry is [string, new () => object] =>
    typeof entry[1] === 'function' && /^[A-Z]/.test(entry[0]) && propertiesOf(entry[1] as new () => object).length > 0,
);

