import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunStatus, RunType, type RunView, type StartRunRequest } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, startRequest, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

describe('a live restore starts only with an explicit confirmation', () => {
  let fixture: RunServiceFixture;
  const backupSetId = randomUUID();
  const items = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    fixture = await createRunServiceFixture(1);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const execute = (overrides: Partial<StartRunRequest>) =>
    fixture.start(startRequest({ type: RunType.RestoreExecute, target: { backupSetId }, scope: { backupItemIds: items }, ...overrides }));

  async function succeededPreview(scope: Record<string, unknown>): Promise<string> {
    const { run } = await fixture.start(startRequest({ type: RunType.RestorePreview, target: { backupSetId }, scope }));
    const occurredAt = new Date().toISOString();
    await fixture.publishWorkerEvent('runFinished', { runId: run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 0, occurredAt });
    await waitFor(
      () => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId: run.id })),
      (current) => current.status === RunStatus.Succeeded,
      { what: 'the preview to succeed' },
    );
    return run.id;
  }

  it('refuses a restore without confirmation, with a wrong tenant name, and a confirmation of a preview (validation), naming the field', async () => {
    await expect(execute({})).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('confirmation') });
    await expect(execute({ confirmation: {} })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(execute({ confirmation: { tenantName: 'Fabrikam' }, tenantDisplayName: 'Contoso' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: "confirmation.tenantName: does not match the tenant's display name",
    });
    await expect(
      fixture.start(startRequest({ type: RunType.RestorePreview, target: { backupSetId }, scope: {}, confirmation: { tenantName: 'Contoso' }, tenantDisplayName: 'Contoso' })),
    ).rejects.toMatchObject({ code: 'validation_failed', message: 'confirmation: only a restore.execute run takes a confirmation' });
  });

  it('refuses an unfinished, other-scope, stale or foreign preview (conflict)', async () => {
    const { run: pending } = await fixture.start(startRequest({ type: RunType.RestorePreview, target: { backupSetId }, scope: { backupItemIds: items, includeAssignments: true } }));
    await expect(execute({ confirmation: { previewRunId: pending.id }, scope: { backupItemIds: items, includeAssignments: true } })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('has not succeeded'),
    });
    const otherScope = await succeededPreview({ backupItemIds: [items[0]] });
    await expect(execute({ confirmation: { previewRunId: otherScope } })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('another') });
    const stale = await succeededPreview({ backupItemIds: [...items].reverse() });
    await fixture.database.pool.query(`UPDATE run_service.runs SET finished_at = now() - interval '2 hours' WHERE id = $1`, [stale]);
    await expect(execute({ confirmation: { previewRunId: stale } })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('older') });
    await expect(execute({ confirmation: { previewRunId: randomUUID() } })).rejects.toMatchObject({ code: 'conflict' });
    const { rows } = await fixture.database.pool.query(`SELECT count(*)::int AS count FROM run_service.runs WHERE type = 'restore.execute'`);
    expect(rows[0].count).toBe(0);
  });

  it('starts with a recent succeeded preview of the same scope (in any order), or the tenant name typed back', async () => {
    const preview = await succeededPreview({ backupItemIds: [...items].reverse() });
    const started = await execute({ confirmation: { previewRunId: preview } });
    expect(started).toMatchObject({ reused: false, run: { type: RunType.RestoreExecute, status: RunStatus.Queued } });
    const byName = await execute({ scope: { backupItemIds: [items[1]] }, confirmation: { tenantName: ' Contoso ' }, tenantDisplayName: 'Contoso' });
    expect(byName.reused).toBe(false);
  });
});
