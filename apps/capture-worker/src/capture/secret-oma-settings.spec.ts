import { randomBytes } from 'node:crypto';
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, type BatchItemResult, type BatchRequestItem, type GraphClient } from '@policyvault/graph';
import { SECRET_ENVELOPE_MARKER, SecretCipher, isSecretEnvelope } from '@policyvault/platform';
import { contentHash } from '../store/content-hash.js';
import { SecretOmaSettings } from './secret-oma-settings.js';

const PLAINTEXT = 'canary-capture-3b9f';
const cipher = SecretCipher.fromConfiguration(`k1:${randomBytes(32).toString('base64')}`, 'k1');
const sealer = new SecretOmaSettings(cipher);

const profile = (id: string, referenceId: string) => ({
  '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
  id,
  displayName: `Custom ${id}`,
  omaSettings: [
    { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Plain', omaUri: './Plain', value: 1 },
    { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Key', omaUri: './Key', isEncrypted: true, secretReferenceValueId: referenceId, value: '****' },
  ],
});

function fakeGraph(answer: (reference: string) => BatchItemResult | 'throw') {
  const batches: BatchRequestItem[][] = [];
  const client = {
    batch: async (_version: string, requests: BatchRequestItem[]) => {
      batches.push(requests);
      return requests.map((request) => {
        const result = answer(/secretReferenceValueId='([^']+)'/.exec(request.url)![1]);
        if (result === 'throw') throw new Error('unexpected');
        return { ...result, id: request.id };
      });
    },
  } as unknown as GraphClient;
  return { client, batches };
}

describe('SecretOmaSettings (capture)', () => {
  it('reads every plaintext of a chunk in one $batch and stores envelopes without secretReferenceValueId', async () => {
    const { client, batches } = fakeGraph((reference) => ({ id: '', ok: true, status: 200, body: { value: `${PLAINTEXT}-${reference}` } }));
    const [first, second] = await sealer.seal(client, 'deviceConfiguration', [profile('a', 'ref-a'), profile('b', 'ref-b')]);
    expect(batches).toHaveLength(1);
    expect(batches[0].map((request) => request.url)).toEqual([
      "/deviceManagement/deviceConfigurations/a/getOmaSettingPlainTextValue(secretReferenceValueId='ref-a')",
      "/deviceManagement/deviceConfigurations/b/getOmaSettingPlainTextValue(secretReferenceValueId='ref-b')",
    ]);
    expect(first.ok && second.ok).toBe(true);
    const stored = first.ok ? first.object : {};
    const [plain, secret] = stored.omaSettings as Array<Record<string, unknown>>;
    expect(plain).toEqual(profile('a', 'ref-a').omaSettings[0]);
    expect(Object.keys(secret).sort()).toEqual(['@odata.type', 'displayName', 'isEncrypted', 'omaUri', 'value']);
    expect(isSecretEnvelope(secret.value)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(PLAINTEXT);
    expect(cipher.decrypt(secret.value as never)).toBe(`${PLAINTEXT}-ref-a`);
  });

  it('the content hash ignores the random ciphertext but changes with the secret', async () => {
    const same = fakeGraph(() => ({ id: '', ok: true, status: 200, body: { value: PLAINTEXT } }));
    const [once] = await sealer.seal(same.client, 'deviceConfiguration', [profile('a', 'ref-1')]);
    const [again] = await sealer.seal(same.client, 'deviceConfiguration', [profile('a', 'ref-2')]);
    const changed = fakeGraph(() => ({ id: '', ok: true, status: 200, body: { value: `${PLAINTEXT}!` } }));
    const [other] = await sealer.seal(changed.client, 'deviceConfiguration', [profile('a', 'ref-1')]);
    if (!once.ok || !again.ok || !other.ok) throw new Error('sealing failed');
    expect(JSON.stringify(once.object)).not.toBe(JSON.stringify(again.object));
    expect(contentHash(once.object)).toBe(contentHash(again.object));
    expect(contentHash(other.object)).not.toBe(contentHash(once.object));
  });

  it('a plaintext Graph does not give fails only that item with secret_value_unreadable', async () => {
    const { client } = fakeGraph((reference) =>
      reference === 'ref-b' ? { id: '', ok: false, error: new GraphError({ code: SafeErrorCode.GraphForbidden, httpStatus: 403, graphErrorCode: 'Forbidden' }) } : { id: '', ok: true, status: 200, body: { value: PLAINTEXT } },
    );
    const [first, second] = await sealer.seal(client, 'deviceConfiguration', [profile('a', 'ref-a'), profile('b', 'ref-b')]);
    expect(first.ok).toBe(true);
    expect(second).toEqual({
      ok: false,
      error: { code: SafeErrorCode.SecretValueUnreadable, message: expect.stringContaining('nothing was stored'), context: expect.objectContaining({ httpStatus: 403, policyType: 'deviceConfiguration' }) },
    });
    const { client: noValue } = fakeGraph(() => ({ id: '', ok: true, status: 200, body: {} }));
    expect((await sealer.seal(noValue, 'deviceConfiguration', [profile('a', 'ref-a')]))[0]).toMatchObject({ ok: false, error: { code: SafeErrorCode.SecretValueUnreadable } });
  });

  it('objects without encrypted settings, and other types, are stored as read without a Graph call', async () => {
    const { client, batches } = fakeGraph(() => 'throw');
    const plainProfile = { ...profile('a', 'ref-a'), omaSettings: [profile('a', 'ref-a').omaSettings[0]] };
    expect(await sealer.seal(client, 'deviceConfiguration', [plainProfile])).toEqual([{ ok: true, object: plainProfile }]);
    expect(await sealer.seal(client, 'compliancePolicy', [profile('a', 'ref-a')])).toEqual([{ ok: true, object: profile('a', 'ref-a') }]);
    expect(batches).toEqual([]);
    expect(SECRET_ENVELOPE_MARKER).toBe('policyVaultSecret');
  });
});
