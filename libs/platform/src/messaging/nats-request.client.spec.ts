import { EMPTY, NEVER, of, throwError, type Observable } from 'rxjs';
import { RpcErrorCode } from '@policyvault/contracts';
import { NatsRequestClient } from './nats-request.client.js';
import { rpcEndpoint } from './rpc-endpoint.js';
import { RpcException } from './rpc.exception.js';

// Not exported by @nestjs/microservices' entry point; any Error from the transport means the same here.
class EmptyResponseException extends Error {}

const ENDPOINT = rpcEndpoint<{ id: string }, { name: string }>('rpc.things.get.v1');

/** A client whose transport answers with `reply` (the NATS connection itself is not needed here). */
function clientAnswering(reply: Observable<unknown>): NatsRequestClient {
  const client = new NatsRequestClient({ namespace: 'unit', servers: 'nats://127.0.0.1:1', name: 'unit' });
  (client as unknown as { client: { send: () => Observable<unknown> } }).client = { send: () => reply };
  return client;
}

async function failureOf(reply: Observable<unknown>, emptyReplyIsSuccess = false): Promise<RpcException> {
  try {
    await clientAnswering(reply).request(ENDPOINT, { id: '1' }, { timeoutMs: 50, emptyReplyIsSuccess });
  } catch (error) {
    expect(error).toBeInstanceOf(RpcException);
    return error as RpcException;
  }
  throw new Error('the request succeeded');
}

describe('NatsRequestClient', () => {
  it('returns the reply', async () => {
    await expect(clientAnswering(of({ name: 'x' })).request(ENDPOINT, { id: '1' }, { timeoutMs: 50 })).resolves.toEqual({ name: 'x' });
  });

  it.each([RpcErrorCode.ValidationFailed, RpcErrorCode.NotFound, RpcErrorCode.Forbidden, RpcErrorCode.Conflict, RpcErrorCode.Unavailable, RpcErrorCode.Internal])(
    "keeps the service's %s answer and its message",
    async (code) => {
      expect(await failureOf(throwError(() => ({ code, message: 'details' })))).toMatchObject({ code, message: 'details', failure: undefined });
    },
  );

  it("keeps other_tenant's owning tenant; one without a readable owner is not_found", async () => {
    const owner = '7a0c1e2d-0000-4000-8000-0000000000b2';
    expect(await failureOf(throwError(() => ({ code: RpcErrorCode.OtherTenant, message: 'run not found', tenantId: owner })))).toMatchObject({
      code: RpcErrorCode.OtherTenant,
      message: 'run not found',
      ownerTenantId: owner,
      failure: undefined,
    });
    expect(await failureOf(throwError(() => ({ code: RpcErrorCode.OtherTenant, message: 'run not found' })))).toMatchObject({ code: RpcErrorCode.NotFound, ownerTenantId: undefined });
  });

  it('treats silence as unavailable: timeout, no responder, lost connection, an unknown code', async () => {
    expect(await failureOf(NEVER)).toMatchObject({ code: RpcErrorCode.Unavailable, failure: 'timeout' });
    expect(await failureOf(throwError(() => new EmptyResponseException('x')))).toMatchObject({ code: RpcErrorCode.Unavailable, failure: 'unreachable' });
    expect(await failureOf(throwError(() => 'Error: Connection lost. Trying to reconnect...'))).toMatchObject({ failure: 'unreachable' });
    expect(await failureOf(throwError(() => ({ code: 'made_up', message: 'x' })))).toMatchObject({ code: RpcErrorCode.Unavailable, failure: 'unreachable' });
    expect(await failureOf(EMPTY)).toMatchObject({ code: RpcErrorCode.Unavailable, failure: 'unreachable' });
  });

  it("maps Nest's reply for an error that was not ours to internal_error, without its text", async () => {
    const failure = await failureOf(throwError(() => ({ status: 'error', message: 'Internal server error: pg password=secret' })));
    expect(failure).toMatchObject({ code: RpcErrorCode.Internal, failure: 'unexpected_reply' });
    expect(failure.message).not.toContain('secret');
  });

  it('accepts an empty reply when told the command answers nothing', async () => {
    await expect(clientAnswering(EMPTY).request(ENDPOINT, { id: '1' }, { timeoutMs: 50, emptyReplyIsSuccess: true })).resolves.toBeUndefined();
  });
});
