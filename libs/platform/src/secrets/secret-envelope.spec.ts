import { secretEnvelopePaths } from './secret-envelope.js';

const envelope = { policyVaultSecret: { version: 1, algorithm: 'AES-256-GCM', keyId: 'k1', wrappedKey: 'w', ciphertext: 'c', digest: 'd' } };

describe('secretEnvelopePaths', () => {
  it('names every envelope by its JSON path, in document order, and nothing else', () => {
    const snapshot = {
      displayName: 'Corp Wi-Fi',
      omaSettings: [{ omaUri: './a', value: 3 }, { omaUri: './b', isEncrypted: true, value: envelope }],
      nested: { deep: [[envelope]] },
      lookalike: { policyVaultSecret: 'not an envelope' },
    };
    expect(secretEnvelopePaths(snapshot)).toEqual(['omaSettings[1].value', 'nested.deep[0][0]']);
    expect(secretEnvelopePaths(envelope)).toEqual(['$']);
    expect(secretEnvelopePaths({ value: 'plain' })).toEqual([]);
  });
});
