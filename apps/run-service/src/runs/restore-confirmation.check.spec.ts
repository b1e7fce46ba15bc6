import { RpcErrorCode, RunType, type RestoreConfirmation } from '@policyvault/contracts';
import type { RpcException } from '@policyvault/platform';
import { previewToCheck } from './restore-confirmation.check.js';

const PREVIEW = '6A1E7B52-0C3D-4E5F-8A9B-0C1D2E3F4A5B';

function refusal(call: () => unknown): RpcException {
  try {
    call();
  } catch (error) {
    return error as RpcException;
  }
  throw new Error('expected a refusal');
}

const execute = (confirmation: RestoreConfirmation | undefined, tenantDisplayName = 'Contoso') => ({
  type: RunType.RestoreExecute,
  confirmation,
  tenantDisplayName,
});

describe('previewToCheck (the one decision on a live restore confirmation)', () => {
  it('leaves a preview id (lower-cased) to check, and accepts a matching tenant name as is', () => {
    expect(previewToCheck(execute({ previewRunId: PREVIEW }))).toBe(PREVIEW.toLowerCase());
    expect(previewToCheck(execute({ tenantName: '  Contoso Ltd\t' }, 'Contoso Ltd'))).toBeUndefined();
    expect(previewToCheck(execute({ tenantName: 'Cafe\u0301' }, 'Café'))).toBeUndefined();
  });

  it.each([
    ['no confirmation', execute(undefined), /^confirmation: a live restore needs confirmation.previewRunId/],
    ['an empty one', execute({}), /^confirmation: a live restore needs/],
    ['both kinds', execute({ previewRunId: PREVIEW, tenantName: 'Contoso' }), /^confirmation: give either previewRunId or tenantName, not both$/],
    ['another case', execute({ tenantName: 'contoso' }), /^confirmation.tenantName: does not match the tenant's display name$/],
    ['another name', execute({ tenantName: 'Fabrikam' }), /^confirmation.tenantName: does not match/],
    ['a name but no display name to match', { ...execute({ tenantName: 'Contoso' }), tenantDisplayName: undefined }, /^confirmation.tenantName: does not match/],
  ])('refuses a live restore with %s (validation_failed: 400 at the gateway)', (_, request, message) => {
    const error = refusal(() => previewToCheck(request));
    expect(error.code).toBe(RpcErrorCode.ValidationFailed);
    expect(error.message).toMatch(message);
  });

  it('restores tenant-wide settings only when the confirmation repeats includeTenantSettings', () => {
    const withSettings = (confirmation: RestoreConfirmation) => ({ ...execute(confirmation), scope: { includeTenantSettings: true } });
    expect(previewToCheck(withSettings({ previewRunId: PREVIEW, includeTenantSettings: true }))).toBe(PREVIEW.toLowerCase());
    expect(previewToCheck(withSettings({ tenantName: 'Contoso', includeTenantSettings: true }))).toBeUndefined();
    const missing = refusal(() => previewToCheck(withSettings({ previewRunId: PREVIEW })));
    expect([missing.code, missing.message]).toEqual([RpcErrorCode.ValidationFailed, expect.stringMatching(/^confirmation.includeTenantSettings: a restore that includes tenant-wide settings needs/)]);
    const unasked = refusal(() => previewToCheck({ ...execute({ previewRunId: PREVIEW, includeTenantSettings: true }), scope: {} }));
    expect(unasked.message).toMatch(/^confirmation.includeTenantSettings: only a restore whose scope includes tenant-wide settings/);
  });

  it('takes no confirmation for a run type that does not write to Graph', () => {
    expect(previewToCheck({ type: RunType.RestorePreview, confirmation: undefined })).toBeUndefined();
    expect(refusal(() => previewToCheck({ type: RunType.RestorePreview, confirmation: { tenantName: 'Contoso' } })).message).toBe(
      'confirmation: only a restore.execute run takes a confirmation',
    );
  });
});
