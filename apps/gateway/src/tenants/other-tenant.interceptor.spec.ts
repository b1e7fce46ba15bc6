import { lastValueFrom, throwError } from 'rxjs';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { OtherTenantException } from '../errors/other-tenant.exception.js';
import { answerForOtherTenant, OtherTenantInterceptor } from './other-tenant.interceptor.js';
import type { TenantAccessService } from './tenant-access.service.js';

const [A, B, C] = ['0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01', '7a0c1e2d-0000-4000-8000-0000000000b2', '7a0c1e2d-0000-4000-8000-0000000000c3'];
const other = (...owners: string[]) => new OtherTenantException(owners, 'run not found in this tenant');

describe('answerForOtherTenant', () => {
  it.each([
    ['held by a tenant the caller cannot see', [B], [A], GatewayErrorCode.TenantAccessDenied, 'you are not a member of this tenant'],
    ['held by several tenants, none visible', [B, C], [A], GatewayErrorCode.TenantAccessDenied, 'you are not a member of this tenant'],
    ['held by a tenant the caller can see', [B], [A, B], GatewayErrorCode.NotFound, 'run not found in this tenant'],
    ['held by several tenants, one visible (any case)', [B, C], [A, C.toUpperCase()], GatewayErrorCode.NotFound, 'run not found in this tenant'],
    ['held by no tenant', [], [A], GatewayErrorCode.NotFound, 'run not found in this tenant'],
    ['asked by a caller who sees no tenant', [B], [], GatewayErrorCode.TenantAccessDenied, 'you are not a member of this tenant'],
  ])('%s', (_, owners, visible, code, detail) => {
    expect(answerForOtherTenant(other(...owners), visible)).toMatchObject({ code, detail });
  });
});

describe('OtherTenantInterceptor', () => {
  const identity = { email: 'owner@contoso.test', subject: 's', userId: 'u', directoryRole: null } satisfies AuthenticatedIdentity;
  const tenants = { visibility: async () => ({ userId: 'u', email: identity.email, tenantIds: [A] }) } as unknown as TenantAccessService;
  const context = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => ({ identity }) }) } as unknown as ExecutionContext;
  const failing = (error: unknown) => lastValueFrom(new OtherTenantInterceptor(tenants).intercept(context, { handle: () => throwError(() => error) })).catch((thrown: unknown) => thrown);

  it("answers another tenant's id for the caller, and passes every other error on as it is", async () => {
    const answered = await failing(other(B));
    expect(answered).not.toBeInstanceOf(OtherTenantException);
    expect(answered).toMatchObject({ code: GatewayErrorCode.TenantAccessDenied, detail: 'you are not a member of this tenant' });
    expect(await failing(other(A))).toMatchObject({ code: GatewayErrorCode.NotFound });
    const conflict = new GatewayException(GatewayErrorCode.Conflict, 'the run has already ended');
    expect(await failing(conflict)).toBe(conflict);
  });
});
