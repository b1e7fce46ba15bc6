// The start path's load, shared by bench/start-path and bench/observability: autocannon through the gateway,
// every request a distinct `policy.capture_snapshot` start (a new target each time) as owner@contoso.test.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { DEMO_TENANTS, RunType } from '@policyvault/contracts';

export interface StartPathLoad {
  connections: number;
  durationSeconds: number;
  warmUpSeconds?: number;
  /** Called between the warm-up and the measured load (e.g. to read CPU counters). */
  beforeMeasure?: () => void | Promise<void>;
  /** Starts per second across all connections; default: as many as the services answer. */
  overallRate?: number;
}

/** `gatewayUrl`: one gateway, or several (autocannon spreads its connections over them). */
export async function loadStartPath(gatewayUrl: string | string[], token: string, { connections, durationSeconds, warmUpSeconds = 3, beforeMeasure, overallRate }: StartPathLoad) {
  const body = () => JSON.stringify({ type: RunType.PolicyCaptureSnapshot, target: { policyId: randomUUID() }, scope: {} });
  const options: autocannon.Options = {
    // autocannon takes several URLs (its typings say one).
    url: ([] as string[]).concat(gatewayUrl).map((url) => `${url}/api/tenants/${DEMO_TENANTS[0].id}/runs`) as unknown as string,
    connections,
    pipelining: 1,
    method: 'POST' as const,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
    ...(overallRate ? { overallRate } : {}),
  };
  await autocannon({ ...options, duration: warmUpSeconds }); // warm-up: JIT, connection pools, caches
  await beforeMeasure?.();
  return autocannon({ ...options, duration: durationSeconds });
}
