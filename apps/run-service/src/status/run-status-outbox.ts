import type { EntityManager } from 'typeorm';
import { RunStatusEventKind, type JetStreamNames } from '@policyvault/contracts';

// Builds the run-status event from the run row as it is inside the current transaction, so the event
// commits with the change it announces. The message id (also the event id) is unique per transition
// (`run:<id>:status:<status>`) or per progress step (`run:<id>:progress:<finished items>`): a repeated
// change adds no second event, and readers de-duplicate on it.
export const RUN_STATUS_EVENT_COLUMNS = (alias: string, kind: string) => `
  jsonb_build_object(
    'eventId', 'run:' || ${alias}.id || ':' || ${kind},
    'kind', CASE WHEN ${kind} LIKE 'progress:%' THEN 'progress' ELSE 'transition' END,
    'runId', ${alias}.id,
    'tenantId', ${alias}.tenant_id,
    'type', ${alias}.type,
    'status', ${alias}.status,
    'cancelRequested', ${alias}.cancel_requested,
    'counts', jsonb_build_object('total', ${alias}.total_items, 'succeeded', ${alias}.succeeded_items,
                                 'failed', ${alias}.failed_items, 'skipped', ${alias}.skipped_items),
    'initiator', jsonb_build_object('userId', ${alias}.initiator_user_id, 'email', ${alias}.initiator_email),
    'error', ${alias}.error,
    'occurredAt', to_json(clock_timestamp()))`;

/** `$1` run id, `$2` the subject prefix (`<ns>.evt.run.status.v1.` or `…progress…`), `$3` transition|progress. */
const ENQUEUE_STATUS_EVENT = `
  INSERT INTO run_service.outbox (subject, message_id, payload)
  SELECT $2 || r.tenant_id, 'run:' || r.id || ':' || k.step, ${RUN_STATUS_EVENT_COLUMNS('r', 'k.step')}
  FROM run_service.runs r,
       LATERAL (SELECT CASE WHEN $3 = 'progress'
                            THEN 'progress:' || (r.succeeded_items + r.failed_items + r.skipped_items)
                            ELSE 'status:' || r.status END AS step) k
  WHERE r.id = $1
  ON CONFLICT (message_id) DO NOTHING`;

/** Transitions go to `<ns>.evt.run.status.v1.<tenant>`, progress to `<ns>.evt.run.progress.v1.<tenant>`. */
export async function enqueueRunStatusEvent(
  manager: EntityManager,
  runId: string,
  names: JetStreamNames,
  kind: RunStatusEventKind,
): Promise<void> {
  const progress = kind === RunStatusEventKind.Progress;
  const prefix = progress ? names.runProgressSubject('') : names.runStatusSubject('');
  await manager.query(ENQUEUE_STATUS_EVENT, [runId, prefix, progress ? 'progress' : 'transition']);
}
