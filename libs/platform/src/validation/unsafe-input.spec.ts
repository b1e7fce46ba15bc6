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

  it('is applied by validateMessage before class-transformer (which overflows its stack on deep input)', () => {
    expect(validateMessage(RunCommand, nested(5_000) as object)).toEqual({ ok: false, problems: ['message: nested deeper than 64 levels'] });
    expect(validateMessage(RunCommand, { runId: '\u0000' })).toEqual({ ok: false, problems: ['message: text must not contain NUL characters'] });
  });
});
