import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rememberFastifyRequest } from '../http/fastify-options.js';
import { configureMetrics, counter, metricsRegistry, sampledGauge } from './metrics-registry.js';
import { httpMetricsMiddleware } from './http-metrics.middleware.js';

const series = async (name: string) => (await metricsRegistry.getSingleMetric(name)!.get()).values;

describe('metrics registry', () => {
  afterEach(() => configureMetrics({ service: 'test', enabled: true }));

  it('records while enabled and nothing while disabled', async () => {
    configureMetrics({ service: 'test', enabled: true });
    const calls = counter({ name: 'spec_calls_total', help: 'calls', labelNames: ['outcome'] });
    calls.inc({ outcome: 'ok' });
    calls.inc({ outcome: 'ok' }, 2);
    configureMetrics({ service: 'test', enabled: false });
    calls.inc({ outcome: 'ok' }, 10);
    expect(await series('spec_calls_total')).toEqual([{ labels: { outcome: 'ok' }, value: 3 }]);
    expect(await metricsRegistry.metrics()).toContain('spec_calls_total{outcome="ok",service="test"} 3');
  });

  it('reads sampled gauges at scrape time, leaves out a failing source, and forgets a removed one', async () => {
    const pending = sampledGauge({ name: 'spec_pending', help: 'pending', labelNames: ['durable'] });
    const removeA = pending.addSource(() => [{ labels: { durable: 'a' }, value: 4 }]);
    pending.addSource(async () => {
      throw new Error('broker down');
    });
    pending.addSource(async () => [{ labels: { durable: 'b' }, value: 1 }]);
    expect(await series('spec_pending')).toEqual([
      { labels: { durable: 'a' }, value: 4 },
      { labels: { durable: 'b' }, value: 1 },
    ]);
    removeA();
    expect(await series('spec_pending')).toEqual([{ labels: { durable: 'b' }, value: 1 }]);
  });
});

describe('httpMetricsMiddleware', () => {
  /** A Node request as Fastify leaves it: routed to `route`, or to no route (the not-found handler). */
  const serve = (request: { method: string; url: string; route?: string }, status: number, contentType = 'application/json') => {
    const raw = { method: request.method, url: request.url } as IncomingMessage;
    const response = Object.assign(new EventEmitter(), { statusCode: status, getHeader: () => contentType }) as unknown as ServerResponse;
    let nextCalled = false;
    httpMetricsMiddleware(raw, response, () => (nextCalled = true));
    expect(nextCalled).toBe(true);
    const routed = { raw, is404: request.route === undefined, routeOptions: { url: request.route, config: {} } } as unknown as FastifyRequest;
    rememberFastifyRequest(routed, {} as FastifyReply, () => undefined);
    (response as unknown as EventEmitter).emit('finish');
    (response as unknown as EventEmitter).emit('close');
  };
  const requests = async () => (await series('policyvault_http_requests_total')).map(({ labels, value }) => ({ ...labels, value }));

  it('labels by route template (never the raw URL), once per response, unmatched for no route', async () => {
    const tenant = '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01';
    serve({ method: 'POST', url: `/api/tenants/${tenant}/runs`, route: '/api/tenants/:tenantId/runs' }, 202);
    serve({ method: 'GET', url: '/assets/index.js' }, 404);
    serve({ method: 'GET', url: `/api/tenants/${tenant}/runs/events`, route: '/api/tenants/:tenantId/runs/events' }, 200, 'text/event-stream');
    expect(await requests()).toEqual(
      expect.arrayContaining([
        { method: 'POST', route: '/api/tenants/:tenantId/runs', status: '202', value: 1 },
        { method: 'GET', route: 'unmatched', status: '404', value: 1 },
        { method: 'GET', route: '/api/tenants/:tenantId/runs/events', status: '200', value: 1 },
      ]),
    );
    expect(JSON.stringify(await requests())).not.toContain(tenant);
    // Event streams are counted, not timed.
    const timed = (await series('policyvault_http_request_duration_seconds')).filter((sample) => (sample as { metricName?: string }).metricName?.endsWith('_count'));
    expect(timed.map((sample) => sample.labels.route).sort()).toEqual(['/api/tenants/:tenantId/runs', 'unmatched']);
  });
});
