// A restore preview is read-only by construction: its Graph client refuses any write before sending
// it. Proved with the real client against the emulator, through the real job frame (the shared
// JobRunner and the restore helper around it), with
// a "buggy" preview that tries to write: the run fails with graph_read_only_violation and the
// emulator's journal shows no write at all.
import pino from 'pino';
import { DEMO_GRAPH_APP, RunType, SafeErrorCode, WorkerRunOutcome, type BackupSetView, type RestoreScope, type RestoreTarget, type RunCommand } from '@policyvault/contracts';
import { createRedirectingNetworkClient, GraphClientFactory, POLICY_TYPE_CONTRACTS, ReadOnlyViolationError, type GraphWorkerConfig } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { SecretCipher, type CommandContext } from '@policyvault/platform';
import { JobRunner } from '@policyvault/worker-runtime';
import type { BackupStoreClient } from '../src/backup-store/backup-store.client.js';
import { RestoreItemWriter } from '../src/execute/restore-item.writer.js';
import { RestoreJobs } from '../src/jobs/restore-job.js';
import { planRestore } from '../src/planning/restore-plan.js';
import { RestorePlanner, toCandidate } from '../src/planning/restore-planner.js';
import { SecretValues } from '../src/planning/secret-values.js';

const DIRECTORY = '7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e6aa';
const TENANT_ID = '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4daa';
const SECRETS = new SecretValues(SecretCipher.development());

describe('restore preview: read-only by construction', () => {
  let emulator: RunningGraphEmulator;
  let factory: GraphClientFactory;
  let drifts = 0;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(DIRECTORY, { seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    factory = new GraphClientFactory({ credentials: { ...DEMO_GRAPH_APP }, graphBaseUrl: emulator.url, networkClient: createRedirectingNetworkClient(emulator.url), pacing: false });
  });

  afterAll(async () => {
    factory?.close();
    await emulator?.close();
  });

  const drifted = () => {
    const [object] = emulator.admin.listObjects(DIRECTORY, 'deviceConfiguration')!;
    const snapshot = structuredClone(object);
    emulator.admin.patchObject(DIRECTORY, 'deviceConfiguration', String(object.id), { description: `changed ${(drifts += 1)}` });
    return { backupItemId: '9a4a0b4e-0000-4000-8000-000000000001', policyType: 'deviceConfiguration', graphId: String(object.id), displayName: String(object.displayName), snapshot };
  };

  it('a write through the preview client throws before anything is sent', async () => {
    const candidate = drifted();
    const client = factory.forTenant(DIRECTORY, { readOnly: true });
    const plan = planRestore(candidate, POLICY_TYPE_CONTRACTS.deviceConfiguration, { kind: 'found', matchedBy: 'id', liveId: candidate.graphId, live: emulator.admin.getObject(DIRECTORY, 'deviceConfiguration', candidate.graphId)! }, null, client);
    expect(plan.action).toBe('update');
    const before = emulator.journal.lastSeq;
    await expect(new RestoreItemWriter(SECRETS).write(client, plan)).rejects.toBeInstanceOf(ReadOnlyViolationError);
    await expect(client.batch('beta', [{ id: '1', method: 'DELETE', url: `/deviceManagement/deviceConfigurations/${candidate.graphId}` }])).rejects.toBeInstanceOf(ReadOnlyViolationError);
    expect(emulator.journal.list({ sinceSeq: before })).toEqual([]);
  });

  it('a preview job that attempts a write fails its run with graph_read_only_violation; Graph saw only reads', async () => {
    const candidate = drifted();
    const finished: unknown[] = [];
    const events = {
      runStarted: async () => undefined,
      itemFinished: async () => undefined,
      runFinished: async (...args: unknown[]) => void finished.push(args),
    };
    const store = {
      getBackupSet: async () => ({ id: 'set', status: 'complete', itemCount: 1 }) as unknown as BackupSetView,
      // The set's index (run items, foundation names): read once before planning.
      items: async function* () {
        yield [{ id: candidate.backupItemId, policyType: candidate.policyType, graphId: candidate.graphId, displayName: candidate.displayName, odataType: candidate.snapshot['@odata.type'] ?? null, references: {} }];
      },
    } as unknown as BackupStoreClient;
    const runner = new JobRunner(pino({ level: 'silent' }), factory, { WORKER_ID: 'test', RETRY_DELAYS_MS: [1000] } as GraphWorkerConfig);
    const command = {
      runId: '9a4a0b4e-0000-4000-8000-0000000000aa',
      tenantId: TENANT_ID,
      tenantDirectoryId: DIRECTORY,
      type: RunType.RestorePreview,
      target: { backupSetId: '9a4a0b4e-0000-4000-8000-0000000000bb' },
      scope: {},
      initiator: { userId: '9a4a0b4e-0000-4000-8000-0000000000cc', email: 'operator@contoso.test' },
      queuedAt: new Date().toISOString(),
    } as RunCommand;
    const context = { deliveryCount: 1, events, heartbeat: () => undefined, signal: new AbortController().signal, isCancelRequested: async () => false } as unknown as CommandContext;
    const before = emulator.journal.lastSeq;

    const outcome = await runner.run<RestoreTarget, RestoreScope>(
      command,
      context,
      (job) =>
        new RestoreJobs(store).within(job, async (restore) => {
          // The planning is real (reads); the write is the bug this test plants.
          const [plan] = await new RestorePlanner(SECRETS).plan(restore.planning, [toCandidate({ ...candidate, id: candidate.backupItemId, snapshot: candidate.snapshot } as never)]);
          expect(plan.action).toBe('update');
          await new RestoreItemWriter(SECRETS).write(restore.client, plan);
        }),
      { readOnly: true },
    );

    expect(outcome).toEqual({ kind: 'done' });
    expect(finished).toEqual([[WorkerRunOutcome.Failed, 0, { error: { code: SafeErrorCode.GraphReadOnlyViolation, message: expect.any(String) }, summary: { workerId: 'test' } }]]);
    const requests = emulator.journal.list({ sinceSeq: before }).filter((entry) => entry.kind !== 'token');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((entry) => entry.method === 'GET')).toBe(true);
    expect(emulator.journal.writes({ sinceSeq: before })).toEqual([]);
  });
});
