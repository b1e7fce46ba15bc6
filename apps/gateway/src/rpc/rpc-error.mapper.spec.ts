// Not exported by @nestjs/microservices' entry point; any Error from the client means the same here.
class EmptyResponseException extends Error {}
import { TimeoutError } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { OtherTenantException } from '../errors/other-tenant.exception.js';
import { gatewayExceptionFromRpcError, type FailedCall } from './rpc-error.mapper.js';

const CALL: FailedCall = { service: 'capture-worker', timeoutMs: 1000, notFound: 'backup set not found in this tenant' };

describe('gatewayExceptionFromRpcError', () => {
  it.each([
    [RpcErrorCode.ValidationFailed, GatewayErrorCode.InvalidRequest],
    [RpcErrorCode.NotFound, GatewayErrorCode.NotFound],
    [RpcErrorCode.OtherTenant, GatewayErrorCode.NotFound],
    [RpcErrorCode.Forbidden, GatewayErrorCode.TenantAccessDenied],
    [RpcErrorCode.Conflict, GatewayErrorCode.Conflict],
    [RpcErrorCode.Unavailable, GatewayErrorCode.UpstreamUnavailable],
    [RpcErrorCode.Internal, GatewayErrorCode.UpstreamFailed],
  ])('maps %s to %s', (code, expected) => {
    expect(gatewayExceptionFromRpcError({ code, message: 'details' }, CALL).code).toBe(expected);
  });

  it('passes validation messages on, names what was not found, and hides internal ones', () => {
    expect(gatewayExceptionFromRpcError({ code: RpcErrorCode.ValidationFailed, message: 'scope: bad' }, CALL).detail).toBe('scope: bad');
    expect(gatewayExceptionFromRpcError({ code: RpcErrorCode.NotFound, message: 'no row 42' }, CALL).detail).toBe(
      'backup set not found in this tenant',
    );
    expect(gatewayExceptionFromRpcError({ code: RpcErrorCode.Internal, message: 'pg: secret' }, CALL)).toMatchObject({
      detail: 'capture-worker failed to answer',
    });
  });

  it("keeps other_tenant's owner for the tenant access layer to decide, with the 404's message (none without an owner)", async () => {
    const owner = '7a0c1e2d-0000-4000-8000-0000000000b2';
    const mapped = gatewayExceptionFromRpcError({ code: RpcErrorCode.OtherTenant, message: 'backup set not found', tenantId: owner }, CALL);
    expect(mapped).toBeInstanceOf(OtherTenantException);
    expect(mapped).toMatchObject({ code: GatewayErrorCode.NotFound, ownerTenantIds: [owner], detail: 'backup set not found in this tenant' });
    expect(gatewayExceptionFromRpcError({ code: RpcErrorCode.OtherTenant, message: 'x' }, CALL)).not.toBeInstanceOf(OtherTenantException);
  });

  it('treats silence as unavailable and odd replies as failures, naming the service', () => {
    expect(gatewayExceptionFromRpcError(new TimeoutError(), { ...CALL, service: 'run-service', timeoutMs: 1234 })).toMatchObject({
      code: GatewayErrorCode.UpstreamUnavailable,
      detail: 'run-service did not answer within 1234 ms; try again',
    });
    expect(gatewayExceptionFromRpcError(new EmptyResponseException('x'), CALL)).toMatchObject({
      code: GatewayErrorCode.UpstreamUnavailable,
      detail: 'capture-worker is not available; try again',
    });
    expect(gatewayExceptionFromRpcError('Error: Connection lost. Trying to reconnect...', CALL).code).toBe(GatewayErrorCode.UpstreamUnavailable);
    expect(gatewayExceptionFromRpcError({ status: 'error', message: 'Internal server error' }, CALL).code).toBe(GatewayErrorCode.UpstreamFailed);
    expect(gatewayExceptionFromRpcError({ code: 'made_up', message: 'x' }, CALL).code).toBe(GatewayErrorCode.UpstreamUnavailable);
  });
});
