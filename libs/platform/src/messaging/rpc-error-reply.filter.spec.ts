import { firstValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import { RpcErrorCode } from '@policyvault/contracts';
import { RpcErrorReplyFilter } from './rpc-error-reply.filter.js';
import { RpcException } from './rpc.exception.js';

function filterLogging(into: unknown[]): RpcErrorReplyFilter {
  const logger = { error: (...args: unknown[]) => into.push(args), warn: (...args: unknown[]) => into.push(args) } as unknown as Logger;
  return new RpcErrorReplyFilter(logger, 'run-service');
}

async function replyOf(filter: RpcErrorReplyFilter, exception: unknown): Promise<unknown> {
  return firstValueFrom(filter.catch(exception)).then(
    () => {
      throw new Error('the filter answered with a value');
    },
    (reply: unknown) => reply,
  );
}

describe('RpcErrorReplyFilter', () => {
  it('sends an RpcException as its code and safe message only', async () => {
    const logged: unknown[] = [];
    const reply = await replyOf(filterLogging(logged), RpcException.notFound('run'));
    expect(reply).toEqual({ code: RpcErrorCode.NotFound, message: 'run not found' });
    expect(logged).toHaveLength(0);
  });

  it('names the owning tenant of an id held by another tenant, and answers not_found for one held by none or by the tenant asked about', async () => {
    const [asked, other] = ['0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01', '7a0c1e2d-0000-4000-8000-0000000000b2'];
    const filter = filterLogging([]);
    expect(await replyOf(filter, RpcException.notFoundOrOtherTenant('run', other, asked))).toEqual({ code: RpcErrorCode.OtherTenant, message: 'run not found', tenantId: other });
    expect(await replyOf(filter, RpcException.notFoundOrOtherTenant('run', other))).toEqual({ code: RpcErrorCode.OtherTenant, message: 'run not found', tenantId: other });
    expect(await replyOf(filter, RpcException.notFoundOrOtherTenant('run', asked.toUpperCase(), asked))).toEqual({ code: RpcErrorCode.NotFound, message: 'run not found' });
    expect(await replyOf(filter, RpcException.notFoundOrOtherTenant('run', null, asked))).toEqual({ code: RpcErrorCode.NotFound, message: 'run not found' });
  });

  it('answers anything else as internal_error without its text or stack, and logs it without the stack', async () => {
    const logged: unknown[][] = [];
    const reply = await replyOf(filterLogging(logged), new Error('connect to postgres://app:secret@db failed'));
    expect(reply).toEqual({ code: RpcErrorCode.Internal, message: 'run-service could not complete the request' });
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).not.toContain('    at ');
  });

  it('answers a lost or refused database connection as unavailable, so the caller may retry', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { name: 'QueryFailedError', driverError: { code: '57P01' } });
    for (const exception of [refused, shutdown, new Error('Connection terminated unexpectedly')]) {
      expect(await replyOf(filterLogging([]), exception)).toEqual({ code: RpcErrorCode.Unavailable, message: 'run-service cannot reach its database; try again' });
    }
  });
});
