import { driftSummary } from './drift-queries';

describe('drift summary', () => {
  it('names what drifted, changed first, or says there is none', () => {
    expect(driftSummary({ added: 0, removed: 1, changed: 3 })).toBe('3 changed, 1 removed');
    expect(driftSummary({ added: 2, removed: 0, changed: 0 })).toBe('2 added');
    expect(driftSummary({ added: 0, removed: 0, changed: 0 })).toBe('No drift');
  });
});
