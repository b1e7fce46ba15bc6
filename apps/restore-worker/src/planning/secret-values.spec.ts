import { randomBytes } from 'node:crypto';
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, POLICY_TYPE_CONTRACTS, type BatchItemResult, type BatchRequestItem, type GraphClient } from '@policyvault/graph';
import { SECRET_ENVELOPE_MARKER, SecretCipher } from '@policyvault/platform';
import { planRestore, type RestoreCandidate, type RestorePlan } from './restore-plan.js';
import { SECRET_VALUE_CHANGED, SECRET_VALUE_LIVE, SecretValues, maskedRequest } from './secret-values.js';

const deviceConfiguration = POLICY_TYPE_CONTRACTS.deviceConfiguration;
const PLAINTEXT = 'canary-psk-7d41';
const cipher = SecretCipher.fromConfiguration(`k1:${randomBytes(32).toString('base64')}`, 'k1');
const secrets = new SecretValues(cipher);
const TARGET = { graphBaseUrl: 'https://graph.example.test' };
/** The object's PATCH in a plan (secret values travel only in it). */
const updateRequest = (plan: RestorePlan) => {
  const request = plan.requests.find((planned) => planned.purpose === 'update');
  if (!request?.body) throw new Error('the plan has no update request');
  return { ...request, body: request.body };
};

const setting = (value: unknown, extra: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.omaSettingString',
  displayName: 'Wi-Fi key',
  omaUri: './Vendor/MSFT/WiFi/Profile/corp/Key',
  isEncrypted: true,
  value,
  ...extra,
});
const plainSetting = { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Plain', omaUri: './Vendor/MSFT/Plain', value: 3 };
const snapshotWith = (envelope: unknown) => ({
  '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
  id: 'src-1',
  displayName: 'Custom Wi-Fi',
  omaSettings: [plainSetting, setting(envelope)],
});
const liveWith = (referenceId: string) => ({ ...snapshotWith('****'), id: 'live-1', omaSettings: [plainSetting, setting('****', { secretReferenceValueId: referenceId })] });
const candidate = (snapshot: Record<string, unknown>): RestoreCandidate => ({ backupItemId: 'item-1', policyType: 'deviceConfiguration', graphId: 'src-1', displayName: 'Custom Wi-Fi', snapshot });

/** A Graph whose getOmaSettingPlainTextValue answers from `values` (reference id → plaintext); records requests. */
function fakeGraph(values: Record<string, string>) {
  const requests: BatchRequestItem[] = [];
  const client = {
    batch: async (_version: string, batch: BatchRequestItem[]): Promise<BatchItemResult[]> => {
      requests.push(...batch);
      return batch.map((request) => {
        const reference = /secretReferenceValueId='([^']+)'/.exec(request.url)?.[1] ?? '';
        const value = values[reference];
        return value === undefined ? { id: request.id, ok: false, error: new GraphError({ code: SafeErrorCode.GraphNotFound, httpStatus: 404 }) } : { id: request.id, ok: true, status: 200, body: { value } };
      });
    },
  } as unknown as GraphClient;
  return { client, requests };
}

describe('SecretValues (restore)', () => {
  it('unchanged: the live plaintext matches by digest → no_change, no difference, the value never in the plan', async () => {
    const snapshot = snapshotWith(cipher.encrypt(PLAINTEXT));
    const { client, requests } = fakeGraph({ 'ref-live': PLAINTEXT });
    const check = await secrets.compare(client, deviceConfiguration, snapshot, liveWith('ref-live'));
    expect(requests.map((request) => request.url)).toEqual(["/deviceManagement/deviceConfigurations/live-1/getOmaSettingPlainTextValue(secretReferenceValueId='ref-live')"]);
    expect(check.ok && [...check.comparison.unchanged]).toEqual(['./Vendor/MSFT/WiFi/Profile/corp/Key']);
    const plan = planRestore(candidate(snapshot), deviceConfiguration, { kind: 'found', matchedBy: 'id', liveId: 'live-1', live: liveWith('ref-live') }, null, TARGET, check.ok ? check.comparison : undefined);
    expect(plan).toMatchObject({ action: 'no_change', differences: [] });
    expect(JSON.stringify(plan)).not.toContain(PLAINTEXT);
  });

  it('changed: the diff says "secret value, changed"; the preview request shows { secret: true }; the write carries the plaintext without secretReferenceValueId', async () => {
    const snapshot = snapshotWith(cipher.encrypt(PLAINTEXT));
    const { client } = fakeGraph({ 'ref-live': 'someone changed it' });
    const check = await secrets.compare(client, deviceConfiguration, snapshot, liveWith('ref-live'));
    const plan = planRestore(candidate(snapshot), deviceConfiguration, { kind: 'found', matchedBy: 'id', liveId: 'live-1', live: liveWith('ref-live') }, null, TARGET, check.ok ? check.comparison : undefined);
    expect(plan.action).toBe('update');
    expect(plan.differences).toEqual([{ path: 'omaSettings[./Vendor/MSFT/WiFi/Profile/corp/Key].value', live: SECRET_VALUE_LIVE, snapshot: SECRET_VALUE_CHANGED }]);
    const shown = maskedRequest(updateRequest(plan))!;
    expect((shown.body.omaSettings as unknown[])[1]).toEqual(setting({ secret: true }));
    expect(JSON.stringify(shown)).not.toContain(SECRET_ENVELOPE_MARKER);
    const sent = secrets.reveal(updateRequest(plan));
    expect((sent.body.omaSettings as unknown[])[1]).toEqual(setting(PLAINTEXT));
    expect((sent.body.omaSettings as unknown[])[0]).toEqual(plainSetting);
    expect(JSON.stringify(plan.requests)).not.toContain(PLAINTEXT);
  });

  it('a live value Graph does not give counts as changed; a deleted object needs no live read', async () => {
    const snapshot = snapshotWith(cipher.encrypt(PLAINTEXT));
    const { client, requests } = fakeGraph({});
    const check = await secrets.compare(client, deviceConfiguration, snapshot, liveWith('ref-gone'));
    expect(check).toEqual({ ok: true, comparison: { unchanged: new Set() } });
    const before = requests.length;
    expect(await secrets.compare(client, deviceConfiguration, snapshot, null)).toEqual({ ok: true, comparison: { unchanged: new Set() } });
    expect(requests).toHaveLength(before);
  });

  it('a value encrypted with a key that is not configured fails the item with secret_key_unavailable (no Graph call)', async () => {
    const elsewhere = SecretCipher.fromConfiguration(`k0:${randomBytes(32).toString('base64')}`, 'k0');
    const { client, requests } = fakeGraph({ 'ref-live': PLAINTEXT });
    const check = await secrets.compare(client, deviceConfiguration, snapshotWith(elsewhere.encrypt(PLAINTEXT)), liveWith('ref-live'));
    expect(check).toEqual({ ok: false, error: { code: SafeErrorCode.SecretKeyUnavailable, message: expect.stringContaining('SECRET_ENCRYPTION_KEYS'), context: { policyType: 'deviceConfiguration' } } });
    expect(requests).toEqual([]);
  });

  it('an altered value fails the item with secret_value_invalid', async () => {
    const envelope = cipher.encrypt(PLAINTEXT);
    envelope[SECRET_ENVELOPE_MARKER].ciphertext = cipher.encrypt('other')[SECRET_ENVELOPE_MARKER].ciphertext;
    const check = await secrets.compare(fakeGraph({}).client, deviceConfiguration, snapshotWith(envelope), null);
    expect(check).toMatchObject({ ok: false, error: { code: SafeErrorCode.SecretValueInvalid } });
  });
});
