import { RunStatus, RunStatusEventKind, RunType, SafeErrorCode, type RunStatusEvent } from '@policyvault/contracts';
import { notificationContent, runLink } from './notification-content.js';

const event = (overrides: Partial<RunStatusEvent> = {}): RunStatusEvent => ({
  eventId: 'run:r:status:succeeded',
  kind: RunStatusEventKind.Transition,
  runId: '33333333-3333-4333-8333-333333333333',
  tenantId: '11111111-1111-4111-8111-111111111111',
  type: RunType.BackupSetCreate,
  status: RunStatus.Succeeded,
  cancelRequested: false,
  counts: { total: 60, succeeded: 60, failed: 0, skipped: 0 },
  initiator: { userId: '22222222-2222-4222-8222-222222222222', email: 'operator@contoso.test' },
  occurredAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

describe('notificationContent', () => {
  it('says what happened to which kind of run, with the counts', () => {
    expect(notificationContent(event({ status: RunStatus.Partial, counts: { total: 60, succeeded: 57, failed: 3, skipped: 0 } }), 'http://ui.test')).toMatchObject({
      title: 'Backup set capture finished with errors',
      body: '57 of 60 items succeeded, 3 failed.',
    });
    expect(notificationContent(event({ status: RunStatus.Queued, counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 } }), 'http://ui.test').title).toBe(
      'Backup set capture is queued',
    );
    expect(notificationContent(event({ type: RunType.RestoreExecute, status: RunStatus.Running, counts: { total: 1, succeeded: 0, failed: 0, skipped: 0 } }), 'http://ui.test')).toMatchObject({
      title: 'Restore started',
      body: 'Working on 1 item.',
    });
    expect(notificationContent(event({ status: RunStatus.Canceled, counts: { total: 5, succeeded: 1, failed: 0, skipped: 1 } }), 'http://ui.test').body).toBe(
      'Stopped after 2 of 5 items: 1 of 5 items succeeded, 1 skipped.',
    );
  });

  it('a drift check that found drift: "Drift detected" with the counts there are and a link to its report; none when no drift', () => {
    const summary = { reportId: '44444444-4444-4444-8444-444444444444', baselineBackupSetId: '55555555-5555-4555-8555-555555555555', added: 1, removed: 1, changed: 3, unchanged: 7 };
    expect(notificationContent(event({ type: RunType.DriftCheck, summary: { ...summary, driftStatus: 'drifted' } }), 'http://ui.test/')).toEqual({
      title: 'Drift detected',
      body: '3 changed, 1 removed, 1 added since the baseline backup.',
      error: null,
      link: 'http://ui.test/tenants/11111111-1111-4111-8111-111111111111/drift-reports/44444444-4444-4444-8444-444444444444',
    });
    expect(notificationContent(event({ type: RunType.DriftCheck, summary: { ...summary, added: 0, removed: 0, changed: 2, driftStatus: 'drifted' } }), 'http://ui.test').body).toBe('2 changed since the baseline backup.');
    expect(notificationContent(event({ type: RunType.DriftCheck, summary: { ...summary, added: 0, removed: 0, changed: 0, driftStatus: 'none' } }), 'http://ui.test').title).toBe('Drift check finished');
    expect(notificationContent(event({ type: RunType.DriftCheck, status: RunStatus.Running }), 'http://ui.test').title).toBe('Drift check started');
  });

  it('links to the run detail in the UI, whatever the base URL ends with', () => {
    const { link } = notificationContent(event(), 'https://pv.example.com/app/');
    expect(link).toBe('https://pv.example.com/app/tenants/11111111-1111-4111-8111-111111111111/runs/33333333-3333-4333-8333-333333333333');
    expect(runLink('http://localhost:3000', 't', 'r')).toBe('http://localhost:3000/tenants/t/runs/r');
  });

  it('keeps only the code and message of a failed run\'s error: never its context or anything smuggled in', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJl';
    const error = {
      code: SafeErrorCode.GraphAuthFailed,
      message: 'Microsoft Graph refused the credentials.',
      context: { httpStatus: 401, requestId: token, authorization: `Bearer ${token}` },
      stack: token,
    } as RunStatusEvent['error'];
    const content = notificationContent(event({ status: RunStatus.Failed, error }), 'http://ui.test');
    expect(content.error).toEqual({ code: SafeErrorCode.GraphAuthFailed, message: 'Microsoft Graph refused the credentials.' });
    expect(JSON.stringify(content)).not.toContain(token);
  });

  it('replaces an unknown error code and carries no error on transitions that are not failures', () => {
    const error = { code: 'leaked_secret_code', message: 'x' } as unknown as RunStatusEvent['error'];
    expect(notificationContent(event({ status: RunStatus.Failed, error }), 'http://ui.test').error?.code).toBe(SafeErrorCode.Internal);
    expect(notificationContent(event({ status: RunStatus.Canceled, error }), 'http://ui.test').error).toBeNull();
    expect(notificationContent(event({ status: RunStatus.Succeeded }), 'http://ui.test').error).toBeNull();
  });
});
