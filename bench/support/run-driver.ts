// Runs started through the gateway and driven with the events a worker publishes (no worker, no Graph):
// the live-progress benchmarks measure what happens after the worker, so they play its part. And backups run by
// real workers, started over run-service's RPC (the capture and fleet benchmarks).
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  RunRpc,
  RunType,
  WorkerEventSubjects,
  isTerminalRunStatus,
  workerEventSubject,
  type JetStreamNames,
  type RunStatusEvent,
  type RunView,
  type StartRunReply,
} from '@policyvault/contracts';
import type { NamespacedNatsClient } from '@policyvault/platform';

export interface RunDriver {
  gatewayUrl: string;
  token: string;
  tenantId: string;
  names: JetStreamNames;
  publish(subject: string, event: object): Promise<void>;
}

/** A backup-set start through the gateway, as the UI sends it; the new run's id. */
export async function startRun(driver: RunDriver): Promise<string> {
  const response = await fetch(`${driver.gatewayUrl}/api/tenants/${driver.tenantId}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${driver.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: RunType.BackupSetCreate, target: { name: `bench ${randomUUID()}` }, scope: {} }),
  });
  if (response.status !== 202) throw new Error(`start answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as StartRunReply).run.id;
}

/** What a worker publishes for one run, in order: started, each item, finished; `pauseMs` between items. */
export async function driveRun(driver: RunDriver, runId: string, items: number, pauseMs = 0): Promise<void> {
  const event = (extra: object) => ({ runId, tenantId: driver.tenantId, occurredAt: new Date().toISOString(), ...extra });
  await driver.publish(driver.names.subject(workerEventSubject(WorkerEventSubjects.runStarted, 'capture-worker')), event({ plannedItems: items }));
  for (let item = 0; item < items; item += 1) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await driver.publish(driver.names.subject(workerEventSubject(WorkerEventSubjects.itemFinished, 'capture-worker')), event({ itemKey: `policy:${item}`, status: 'succeeded' }));
  }
  await driver.publish(driver.names.subject(workerEventSubject(WorkerEventSubjects.runFinished, 'capture-worker')), event({ outcome: 'completed', itemCount: items }));
}

/** `runs` runs started at once, then all driven at once; their ids. */
export async function wave(driver: RunDriver, runs: number, items: number, pauseMs = 0): Promise<Set<string>> {
  const ids = await Promise.all(Array.from({ length: runs }, () => startRun(driver)));
  await Promise.all(ids.map((id) => driveRun(driver, id, items, pauseMs)));
  return new Set(ids);
}

export interface BenchTenant {
  id: string;
  directoryId: string;
  label: string;
}

/** Where run-service publishes run-status events: watched to learn when runs end without polling them. */
export interface RunStatusWatch {
  connection: NatsConnection;
  names: JetStreamNames;
}

/**
 * One `backup_set.create` of every type per tenant (named `${name} ${label}`), all started at once over run-service's
 * RPC; resolves when every run is terminal in run-service, with each run's last view and when it became terminal.
 * - Without `statusEvents`: every run not yet terminal is read every `pollMs`; a run's `terminalAt` is the read that
 *   saw it terminal.
 * - With `statusEvents`: a run's `terminalAt` is its terminal status event's arrival (run-service publishes it once the
 *   transition commits), and run-service is read only for runs with no such event for `fallbackMs` (a core
 *   subscription may drop messages), then once per run for its view: 200 runs polled every 500 ms would add thousands
 *   of reads to the load being measured.
 */
export async function backUpTenants(
  rpc: NamespacedNatsClient,
  tenants: BenchTenant[],
  name: string,
  { pollMs = 500, statusEvents, fallbackMs = 5000 }: { pollMs?: number; statusEvents?: RunStatusWatch; fallbackMs?: number } = {},
) {
  const terminalAt = new Map<string, number>();
  const subscription = statusEvents?.connection.subscribe(statusEvents.names.runStatusSubjects, {
    callback: (error, message) => {
      if (error) return;
      const event = message.json<RunStatusEvent>();
      if (isTerminalRunStatus(event.status) && !terminalAt.has(event.runId)) terminalAt.set(event.runId, Date.now());
    },
  });
  try {
    const runs = await Promise.all(
      tenants.map(async (tenant) => {
        const reply = await firstValueFrom(
          rpc.send<StartRunReply>(RunRpc.start, {
            tenantId: tenant.id,
            tenantDirectoryId: tenant.directoryId,
            type: RunType.BackupSetCreate,
            target: { name: `${name} ${tenant.label}` },
            scope: {},
            initiator: { userId: randomUUID(), email: 'bench@contoso.test' },
          }),
        );
        return { tenant, runId: reply.run.id };
      }),
    );
    const finished = new Map<string, RunView>();
    const read = (run: (typeof runs)[number]) => firstValueFrom(rpc.send<RunView>(RunRpc.get, { tenantId: run.tenant.id, runId: run.runId }));
    let readAt = Date.now();
    while (finished.size < runs.length) {
      const readNow = !statusEvents || Date.now() - readAt >= fallbackMs || runs.every((run) => finished.has(run.runId) || terminalAt.has(run.runId));
      if (readNow) {
        readAt = Date.now();
        for (const run of runs) {
          if (finished.has(run.runId)) continue;
          const view = await read(run);
          if (!isTerminalRunStatus(view.status)) continue;
          finished.set(run.runId, view);
          if (!terminalAt.has(run.runId)) terminalAt.set(run.runId, Date.now());
        }
      }
      if (finished.size < runs.length) await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return { runs, finished, terminalAt };
  } finally {
    subscription?.unsubscribe();
  }
}
