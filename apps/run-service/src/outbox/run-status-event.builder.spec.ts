import { RunStatus, RunStatusEventKind, RunType, SafeErrorCode, jetStreamNames } from '@policyvault/contracts';
import type { RunEntity } from '../runs/run.entity.js';
import { buildRunStatusEvent } from './run-status-event.builder.js';

const names = jetStreamNames('unit');
const run = {
  id: '33333333-3333-4333-8333-333333333333',
  tenantId: '11111111-1111-4111-8111-111111111111',
  type: RunType.PolicyCaptureSnapshot,
  status: RunStatus.Running,
  cancelRequested: false,
  totalItems: 5,
  succeededItems: 2,
  failedItems: 1,
  skippedItems: 0,
  initiatorUserId: '22222222-2222-4222-8222-222222222222',
  initiatorEmail: 'operator@contoso.test',
  error: null,
} satisfies Partial<RunEntity>;

describe('buildRunStatusEvent', () => {
  it('identifies a transition by its status and a progress step by its finished items', () => {
    const occurredAt = new Date('2027-01-01T00:00:00Z');
    const transition = buildRunStatusEvent(run, names, RunStatusEventKind.Transition, occurredAt);
    expect(transition).toEqual({
      subject: names.runStatusSubject(run.tenantId),
      messageId: `run:${run.id}:status:running`,
      payload: {
        eventId: `run:${run.id}:status:running`,
        kind: 'transition',
        runId: run.id,
        tenantId: run.tenantId,
        type: run.type,
        status: 'running',
        cancelRequested: false,
        counts: { total: 5, succeeded: 2, failed: 1, skipped: 0 },
        initiator: { userId: run.initiatorUserId, email: run.initiatorEmail },
        error: null,
        occurredAt: '2027-01-01T00:00:00.000Z',
      },
    });
    const progress = buildRunStatusEvent(run, names, RunStatusEventKind.Progress, occurredAt);
    expect(progress.subject).toBe(names.runProgressSubject(run.tenantId));
    expect(progress.messageId).toBe(`run:${run.id}:progress:3`);
    expect(progress.payload).toMatchObject({ kind: 'progress', eventId: progress.messageId });
  });

  it('carries the run error, and refuses to build an event that breaks the contract', () => {
    const failed = { ...run, status: RunStatus.Failed, error: { code: SafeErrorCode.Internal, message: 'boom' } };
    expect(buildRunStatusEvent(failed, names, RunStatusEventKind.Transition).payload.error).toEqual(failed.error);
    expect(() => buildRunStatusEvent({ ...run, initiatorEmail: 'not-an-email' }, names, RunStatusEventKind.Transition)).toThrow(
      /run-status event of run .* is invalid: initiator.email/,
    );
  });
});
