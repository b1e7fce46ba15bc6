// Not exported by @nestjs/microservices' entry point; any Error from the client means the same here.
class EmptyResponseException extends Error {}
import { TimeoutError } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { gatewayExceptionFromRunServiceError } from './run-service-error.mapper.js';

describe('gatewayExceptionFromRunServiceError', () => {
  it.each([
    [RpcErrorCode.ValidationFailed, GatewayErrorCode.InvalidRequest],
    [RpcErrorCode.NotFound, GatewayErrorCode.RunNotFound],
    [RpcErrorCode.Forbidden, GatewayErrorCode.TenantAccessDenied],
    [RpcErrorCode.Conflict, GatewayErrorCode.Conflict],
    [RpcErrorCode.Unavailable, GatewayErrorCode.RunServiceUnavailable],
    [RpcErrorCode.Internal, GatewayErrorCode.RunServiceFailed],
  ])('maps run-service %s to %s', (code, expected) => {
    expect(gatewayExceptionFromRunServiceError({ code, message: 'details' }, 1000).code).toBe(expected);
  });

  it('passes validation messages on and hides internal ones', () => {
    expect(gatewayExceptionFromRunServiceError({ code: RpcErrorCode.ValidationFailed, message: 'scope: bad' }, 1000).detail).toBe('scope: bad');
    expect(gatewayExceptionFromRunServiceError({ code: RpcErrorCode.Internal, message: 'pg: secret' }, 1000).detail).not.toMatch(/secret/);
  });

  it('treats silence as unavailable and odd replies as failures', () => {
    expect(gatewayExceptionFromRunServiceError(new TimeoutError(), 1234)).toMatchObject({
      code: GatewayErrorCode.RunServiceUnavailable,
      detail: 'run-service did not answer within 1234 ms; try again',
    });
    expect(gatewayExceptionFromRunServiceError(new EmptyResponseException('x'), 1000).code).toBe(GatewayErrorCode.RunServiceUnavailable);
    expect(gatewayExceptionFromRunServiceError('Error: Connection lost. Trying to reconnect...', 1000).code).toBe(
      GatewayErrorCode.RunServiceUnavailable,
    );
    expect(gatewayExceptionFromRunServiceError({ status: 'error', message: 'Internal server error' }, 1000).code).toBe(
      GatewayErrorCode.RunServiceFailed,
    );
    expect(gatewayExceptionFromRunServiceError({ code: 'made_up', message: 'x' }, 1000).code).toBe(GatewayErrorCode.RunServiceUnavailable);
  });
});
