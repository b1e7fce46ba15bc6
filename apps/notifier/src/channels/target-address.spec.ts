import { ChannelSender, outcomeOf, parseRetryAfter, webhookSignature } from './channel-sender.js';
import { NotificationChannelKind } from '@policyvault/contracts';
import { checkTarget, guardedLookup, isPublicAddress } from './target-address.js';

describe('endpoint targets', () => {
  it('only globally routable unicast addresses are public', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd12::1', '::ffff:10.0.0.1', '224.0.0.1', 'not-an-ip']) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
    for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:93.184.215.14']) expect([address, isPublicAddress(address)]).toEqual([address, true]);
  });

  it('a name resolving to loopback is refused in production, allowed for development', async () => {
    await expect(checkTarget('https://localhost/x', { allowPrivateTargets: false })).rejects.toThrow(/loopback, link-local or private/);
    await expect(checkTarget('http://localhost/x', { allowPrivateTargets: true })).resolves.toBeInstanceOf(URL);
    await expect(checkTarget('ftp://93.184.215.14/x', { allowPrivateTargets: true })).rejects.toThrow(/http or https/);
  });

  it('at connect time the lookup refuses what a name resolves to now (DNS rebinding): the attempt fails for good, nothing is sent', async () => {
    await new Promise<void>((resolve) => {
      guardedLookup({ allowPrivateTargets: false })('localhost', {}, (error) => {
        expect((error as NodeJS.ErrnoException).code).toBe('ETARGETREFUSED');
        resolve();
      });
    });
    const sender = new ChannelSender({ allowPrivateTargets: false }, { port: 25, secure: false, from: 'a@b.example', requireTls: true }, 1000);
    const outcome = await sender.send({ kind: NotificationChannelKind.Webhook, url: 'https://localhost:1/x', emailTo: null, secret: null }, 'id', {
      kind: 'test',
      tenantId: 't',
      title: 't',
      summary: 's',
      link: null,
      occurredAt: new Date().toISOString(),
    });
    expect(outcome).toMatchObject({ ok: false, permanent: true });
  });

  it('retries 408, 429 and 5xx, honouring Retry-After in seconds or as a date; other 4xx are permanent', () => {
    expect(outcomeOf(204, undefined)).toEqual({ ok: true, httpStatus: 204 });
    expect(outcomeOf(429, '7')).toMatchObject({ ok: false, permanent: false, retryAfterMs: 7000 });
    expect(outcomeOf(503, undefined)).toMatchObject({ ok: false, permanent: false });
    expect(outcomeOf(404, undefined)).toMatchObject({ ok: false, permanent: true });
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('signs "<id>.<timestamp>.<body>" with the secret\'s bytes (Standard Webhooks v1)', () => {
    // The convention's published example.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signature = webhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
