import { RequestOne, type MuxSubscription } from '@nats-io/nats-core/internal';
import type { Msg } from '@nats-io/transport-node';
import { REQUEST_CANCELLED, settleAnsweredRequestsQuietly } from './answered-requests.js';

/** A request as nats.js makes one, on a mux that only records what it is asked to forget. */
function request(): { request: RequestOne; rejections: unknown[]; forgotten: RequestOne[] } {
  const forgotten: RequestOne[] = [];
  const mux = { cancel: (one: RequestOne) => forgotten.push(one) } as unknown as MuxSubscription;
  const one = new RequestOne(mux, 'subject', { timeout: 60_000 }, false);
  const rejections: unknown[] = [];
  const reject = one.deferred.reject.bind(one.deferred);
  one.deferred.reject = (reason?: unknown) => {
    rejections.push(reason);
    reject(reason);
  };
  void one.deferred.catch(() => undefined);
  return { request: one, rejections, forgotten };
}

describe('settleAnsweredRequestsQuietly', () => {
  beforeAll(() => settleAnsweredRequestsQuietly());

  it('settles answered requests with one error made once, not a new error each', async () => {
    const first = request();
    const second = request();
    const answer = { data: new Uint8Array() } as Msg;
    first.request.resolver(null, answer);
    second.request.resolver(null, answer);

    await expect(first.request.deferred).resolves.toBe(answer);
    expect(first.rejections).toHaveLength(1);
    expect(first.rejections[0]).toBe(REQUEST_CANCELLED);
    expect(second.rejections[0]).toBe(REQUEST_CANCELLED);
    expect(first.forgotten).toEqual([first.request]);
  });

  it('keeps the reason of a request cancelled with one (the connection closed)', async () => {
    const closed = request();
    const reason = new Error('connection closed');
    closed.request.cancel(reason);

    await expect(closed.request.deferred).rejects.toBe(reason);
    expect(closed.forgotten).toEqual([closed.request]);
  });

  it('applies once, however many connections are opened', () => {
    const patched = RequestOne.prototype.cancel;
    settleAnsweredRequestsQuietly();
    expect(RequestOne.prototype.cancel).toBe(patched);
  });
});
