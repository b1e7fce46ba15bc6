import { RunCommand } from '@policyvault/contracts';
import { MAX_INPUT_DEPTH, unsafeInputProblem } from './unsafe-input.js';
import { validateMessage } from './validate-message.js';

const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('unsafeInputProblem', () => {
  it('accepts ordinary input up to the depth limit', () => {
    expect(unsafeInputProblem({ name: 'Ω 👩‍👩‍👧', items: [1, { a: [null, true] }] }, 'body')).toBeNull();
    expect(unsafeInputProblem(nested(MAX_INPUT_DEPTH), 'body')).toBeNull();
    expect(unsafeInputProblem(undefined, 'body')).toBeNull();
  });

  it('refuses nesting past the limit without recursing (5,000 and 100,000 levels)', () => {
    expect(unsafeInputProblem(nested(MAX_INPUT_DEPTH + 1), 'body')).toBe('body: nested deeper than 64 levels');
    expect(unsafeInputProblem(nested(5_000), 'body')).toBe('body: nested deeper than 64 levels');
    expect(unsafeInputProblem(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'query')).toBe('query: nested deeper than 64 levels');
  });

  it('refuses NUL in a value or a key at any depth, and a __proto__ key, without quoting the input', () => {
    expect(unsafeInputProblem('a\u0000b', 'query')).toBe('query: text must not contain NUL characters');
    expect(unsafeInputProblem({ a: [{ b: 'x\u0000' }] }, 'body')).toBe('body: text must not contain NUL characters');
    expect(unsafeInputProblem({ ['k\u0000']: 1 }, 'body')).toBe('body: field names must not contain NUL characters');
    expect(unsafeInputProblem(JSON.parse('{"a":{"__proto__":{"isAdmin":true}}}'), 'body')).toBe('body: the field name __proto__ is not accepted');
  });

  it('refuses an unpaired surrogate in a value or a key (validator.js throws on one; Postgres cannot hold one), and takes paired ones', () => {
    expect(unsafeInputProblem(JSON.parse('{"emailTo":["a\\ud800@example.com"]}'), 'body')).toBe('body: text must be well-formed Unicode (an unpaired surrogate)');
    expect(unsafeInputProblem({ a: [{ b: 'x\udc00y' }] }, 'message')).toBe('message: text must be well-formed Unicode (an unpaired surrogate)');
    expect(unsafeInputProblem({ ['k\ud83d']: 1 }, 'body')).toBe('body: field names must be well-formed Unicode (an unpaired surrogate)');
    expect(unsafeInputProblem({ name: 'backup 😀 ✓', ['clé 😀']: 'ok' }, 'body')).toBeNull();
  });

  it('refuses a constructor key at any depth (class-transformer fails on one), unless asked to allow it', () => {
    const input = JSON.parse('{"runId":{"constructor":"x"},"tenantId":"t"}') as object;
    expect(unsafeInputProblem(input, 'message')).toBe('message: the field name constructor is not accepted');
    expect(unsafeInputProblem(JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'), 'body')).toBe('body: the field name constructor is not accepted');
    expect(unsafeInputProblem(input, 'file', { constructorKeys: 'allowed' })).toBeNull();
    expect(unsafeInputProblem({ constructors: 1, name: 'constructor' }, 'body')).toBeNull();
  });

  it('is applied by validateMessage before class-transformer (which overflows its stack on deep input)', () => {
    expect(validateMessage(RunCommand, nested(5_000) as object)).toEqual({ ok: false, problems: ['message: nested deeper than 64 levels'] });
    expect(validateMessage(RunCommand, { runId: '\u0000' })).toEqual({ ok: false, problems: ['message: text must not contain NUL characters'] });
    // The fuzzer's message that class-transformer failed on (TypeError) until constructor keys were refused.
    const fuzzed = JSON.parse('{"runId":{"constructor":"%00"},"tenantId":"a2901bdd-14da-6031-a4c4-59ff0000001d","status":-1070210742,"fuzzUnknownField":null}') as object;
    expect(validateMessage(RunCommand, fuzzed)).toEqual({ ok: false, problems: ['message: the field name constructor is not accepted'] });
  });
});
