// The tenant settings' notification channels in a real browser (Debian's Chromium through Playwright) against
// the real gateway, run-service and notifier, with a local webhook receiver (private targets allowed for this
// test only): an owner adds a signed webhook, sees its secret once, subscribes it, sends a test that arrives
// signed; a dead receiver's test is dead-lettered with its error, the endpoint disabled (the other endpoint is
// told), then enabled again.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from '@playwright/test';
import { CONTOSO, startStack, waitFor, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn } from './admin-ui/browser-session.js';

describe('notification channels in the admin UI (browser)', () => {
  let stack: Stack;
  let browser: Browser;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/policyvault`;
    [stack, browser] = await Promise.all([
      startStack({
        services: ['run-service', 'notifier', 'gateway'],
        env: { NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true', DELIVERY_MAX_ATTEMPTS: '1', ENDPOINT_DISABLE_AFTER: '1', DELIVERY_POLL_MS: '200' },
      }),
      launchBrowser(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('an owner adds a signed webhook, subscribes it, tests it; a dead one is dead-lettered, disabled and enabled again', async () => {
    const { page, close } = await openSession(browser);
    try {
      await signIn(page, stack.gatewayUrl, 'owner@contoso.test', `/tenants/${CONTOSO.id}/settings`);
      const section = page.getByRole('region', { name: 'Notification channels' });
      await section.waitFor();

      const addEndpoint = section.getByRole('form', { name: 'Add an endpoint' });
      await addEndpoint.getByRole('textbox', { name: 'Name' }).fill('PSA tickets');
      await addEndpoint.getByRole('textbox', { name: 'URL' }).fill(receiverUrl);
      await addEndpoint.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await section.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_/);
      await section.getByRole('cell', { name: 'PSA tickets', exact: true }).waitFor();

      const subscribe = section.getByRole('form', { name: 'Add a subscription' });
      await subscribe.getByRole('combobox', { name: 'Endpoint', exact: true }).click();
      await page.getByRole('option', { name: 'PSA tickets', exact: true }).click();
      await subscribe.getByRole('checkbox', { name: 'Drift found' }).check();
      await subscribe.getByRole('button', { name: 'Subscribe' }).click();
      await section.getByRole('cell', { name: 'Run failed, Drift found', exact: true }).waitFor();
      await expectAccessible(page, 'the notification channels section');
      await screenshot(page, 'notification-channels');

      await section.getByRole('button', { name: 'Send a test to PSA tickets' }).click();
      const [test] = await waitFor(() => Promise.resolve(received), (list) => list.length === 1, { what: 'the test message' });
      const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
        .update(`${String(test.headers['webhook-id'])}.${String(test.headers['webhook-timestamp'])}.${test.body}`)
        .digest('base64');
      expect(test.headers['webhook-signature']).toBe(`v1,${expected}`);
      expect(JSON.parse(test.body)).toMatchObject({ type: 'test', data: { tenantId: CONTOSO.id, title: 'PolicyVault test notification' } });

      // A receiver that is gone: one attempt, dead-lettered, the endpoint disabled (ENDPOINT_DISABLE_AFTER=1).
      await addEndpoint.getByRole('textbox', { name: 'Name' }).fill('Old receiver');
      await addEndpoint.getByRole('textbox', { name: 'URL' }).fill('http://127.0.0.1:9/gone');
      await addEndpoint.getByRole('button', { name: 'Add endpoint' }).click();
      await section.getByRole('button', { name: 'Send a test to Old receiver' }).click();
      await waitFor(
        async () => {
          await page.reload();
          await section.waitFor();
          return section.getByRole('button', { name: 'Enable Old receiver' }).count();
        },
        (count) => count === 1,
        { what: 'the endpoint disabled', timeoutMs: 30_000, intervalMs: 500 },
      );
      await section.getByRole('cell', { name: /ECONNREFUSED/ }).waitFor();
      await section.getByRole('button', { name: 'Enable Old receiver' }).click();
      await section.getByRole('button', { name: 'Enable Old receiver' }).waitFor({ state: 'detached' });
      // The tenant's other endpoint was told that this one was disabled; the dead one got nothing more.
      expect(received).toHaveLength(2);
      expect(JSON.parse(received[1].body)).toMatchObject({
        type: 'endpoint.disabled',
        data: { title: 'Notification endpoint "Old receiver" was disabled', summary: expect.stringContaining('after 1 delivery in a row was given up') },
      });
    } finally {
      await close();
    }
  });
});
