import { RunType } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import type { GatewayException } from '../errors/gateway.exception.js';
import { restoreConfirmationFor } from './restore-confirmation.policy.js';

const PREVIEW = '6A1E7B52-0C3D-4E5F-8A9B-0C1D2E3F4A5B';

function refusal(call: () => unknown): GatewayException {
  try {
    call();
  } catch (error) {
    return error as GatewayException;
  }
  throw new Error('expected a refusal');
}

describe('restoreConfirmationFor', () => {
  it('passes a preview id on (lower-cased) and a matching tenant name as tenantNameConfirmed', () => {
    expect(restoreConfirmationFor(RunType.RestoreExecute, { previewRunId: PREVIEW }, 'Contoso')).toEqual({ previewRunId: PREVIEW.toLowerCase() });
    expect(restoreConfirmationFor(RunType.RestoreExecute, { tenantName: '  Contoso Ltd\t' }, 'Contoso Ltd')).toEqual({ tenantNameConfirmed: true });
    expect(restoreConfirmationFor(RunType.RestoreExecute, { tenantName: 'Cafe\u0301' }, 'Café')).toEqual({ tenantNameConfirmed: true });
  });

  it.each([
    ['no confirmation', undefined, /^confirmation: a live restore needs confirmation.previewRunId/],
    ['an empty one', {}, /^confirmation: a live restore needs/],
    ['both kinds', { previewRunId: PREVIEW, tenantName: 'Contoso' }, /^confirmation: give either previewRunId or tenantName/],
    ['another case', { tenantName: 'contoso' }, /^confirmation.tenantName: does not match/],
    ['another name', { tenantName: 'Fabrikam' }, /^confirmation.tenantName: does not match/],
  ])('refuses a live restore with %s (400)', (_, confirmation, message) => {
    const error = refusal(() => restoreConfirmationFor(RunType.RestoreExecute, confirmation, 'Contoso'));
    expect(error.code).toBe(GatewayErrorCode.InvalidRequest);
    expect(error.detail).toMatch(message);
  });

  it('takes no confirmation for any other run type', () => {
    expect(restoreConfirmationFor(RunType.RestorePreview, undefined, 'Contoso')).toBeUndefined();
    expect(refusal(() => restoreConfirmationFor(RunType.RestorePreview, { tenantName: 'Contoso' }, 'Contoso')).detail).toBe(
      'confirmation: only a restore.execute run takes a confirmation',
    );
  });
});
