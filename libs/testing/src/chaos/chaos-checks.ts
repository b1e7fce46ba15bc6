// What must hold after the chaos, each check a line with PASS/FAIL and its figures. They read the
// services' tables in the private database (the harness owns it), the Graph emulator's request journal
// and the answers the load got.
import type pg from 'pg';
import { TERMINAL_RUN_STATUSES } from '@policyvault/contracts';
import { CHAOS_SERVICES } from './chaos-cluster.js';
import { deletionKey, SERVICE_SCHEMAS, type FaultFigures, type Window } from './chaos-faults.js';
import { CHAOS_POLICY_TYPES, CHAOS_TENANTS, type HttpAnswer, type LoadFigures } from './chaos-load.js';

export interface ChaosCheck {
  name: string;
  pass: boolean;
  figures: string;
}

/** After an outage ends, services take a moment to find Postgres and NATS again: their 503s still count as the outage's. */
export const OUTAGE_GRACE_MS = 15_000;
/**
 * A kill is recorded as the signal is sent; the process takes a moment to die and NATS to drop its subscriptions,
 * so a request sent within this time may still be routed to it.
 */
export const KILL_SETTLE_MS = 1_000;

const TERMINAL = TERMINAL_RUN_STATUSES as readonly string[];
const sample = (items: readonly string[], count = 5) => (items.length === 0 ? '' : ` e.g. ${items.slice(0, count).join(', ')}`);

export async function acceptedRunsTerminal(pool: pg.Pool, load: LoadFigures): Promise<ChaosCheck> {
  const ids = [...load.accepted.keys()];
  const { rows } = await pool.query<{ id: string; status: string }>(`SELECT id::text, status FROM run_service.runs WHERE id = ANY($1::uuid[])`, [ids]);
  const status = new Map(rows.map((row) => [row.id, row.status]));
  const missing = ids.filter((id) => !status.has(id));
  const active = ids.filter((id) => status.has(id) && !TERMINAL.includes(status.get(id)!));
  const byStatus = new Map<string, number>();
  for (const value of status.values()) byStatus.set(value, (byStatus.get(value) ?? 0) + 1);
  const breakdown = [...byStatus].sort().map(([name, count]) => `${name} ${count}`).join(', ');
  const { rows: failures } = await pool.query<{ reason: string; count: string }>(
    `SELECT type || ' ' || coalesce(error->>'code', '?') AS reason, count(*) FROM run_service.runs
      WHERE id = ANY($1::uuid[]) AND status IN ('failed', 'partial') GROUP BY 1 ORDER BY 2 DESC`,
    [ids],
  );
  // Runs committed whose answer the load never got (a gateway killed after the commit): not lost, but unseen.
  const { rows: unseen } = await pool.query<{ count: string }>(`SELECT count(*) FROM run_service.runs WHERE NOT (id = ANY($1::uuid[]))`, [ids]);
  const failed = failures.length ? `; failed or partial: ${failures.map((row) => `${row.reason} ×${row.count}`).join(', ')}` : '';
  return {
    name: 'every accepted run is terminal',
    pass: missing.length === 0 && active.length === 0,
    figures: `${ids.length - missing.length - active.length}/${ids.length} terminal (${breakdown}${failed}); ${active.length} still active${sample(active)}; ${missing.length} accepted but unknown to run-service${sample(missing)}; ${unseen[0].count} runs whose start answer never arrived`,
  };
}

export async function countsEqualItems(pool: pg.Pool): Promise<ChaosCheck> {
  const { rows: runs } = await pool.query<{ id: string; type: string; status: string; detail: string }>(`
    SELECT r.id::text, r.type, r.status,
           format('total %s/%s, succeeded %s/%s, failed %s/%s, skipped %s/%s, expected %s', r.total_items, count(i.item_key),
                  r.succeeded_items, count(i.item_key) FILTER (WHERE i.status = 'succeeded'),
                  r.failed_items, count(i.item_key) FILTER (WHERE i.status = 'failed'),
                  r.skipped_items, count(i.item_key) FILTER (WHERE i.status = 'skipped'), coalesce(r.expected_items::text, '-')) AS detail
      FROM run_service.runs r LEFT JOIN run_service.run_items i ON i.run_id = r.id
     WHERE r.status IN ('succeeded', 'partial', 'failed', 'canceled')
     GROUP BY r.id
    HAVING r.total_items <> count(i.item_key)
        OR r.succeeded_items <> count(i.item_key) FILTER (WHERE i.status = 'succeeded')
        OR r.failed_items <> count(i.item_key) FILTER (WHERE i.status = 'failed')
        OR r.skipped_items <> count(i.item_key) FILTER (WHERE i.status = 'skipped')
        OR (r.expected_items IS NOT NULL AND r.expected_items <> count(i.item_key))`);
  const { rows: checked } = await pool.query<{ count: string }>(`SELECT count(*) FROM run_service.runs WHERE status IN ('succeeded', 'partial', 'failed', 'canceled')`);
  // A backup set holds exactly the policies its run reported captured: no item from another listing.
  const { rows: sets } = await pool.query<{ id: string; items: string; reported: string }>(`
    SELECT s.created_by_run_id::text AS id,
           (SELECT count(*) FROM capture.backup_items b WHERE b.backup_set_id = s.id) AS items,
           (SELECT count(*) FROM run_service.run_items i WHERE i.run_id = s.created_by_run_id AND i.status = 'succeeded' AND i.item_key LIKE 'policy:%') AS reported
      FROM capture.backup_sets s JOIN run_service.runs r ON r.id = s.created_by_run_id
     WHERE r.type = 'backup_set.create' AND r.status IN ('succeeded', 'partial')`);
  const badSets = sets.filter((set) => set.items !== set.reported);
  return {
    name: "counts equal items (run-service's runs vs run_items; backup sets vs their runs' items)",
    pass: runs.length === 0 && badSets.length === 0,
    figures:
      `${runs.length}/${checked[0].count} ended runs whose counts differ from their items` +
      sample(runs.map((run) => `${run.type} ${run.status} ${run.id} (${run.detail})`), 3) +
      `; ${badSets.length}/${sets.length} backup sets whose items differ from the policies their run reported` +
      sample(badSets.map((set) => `run ${set.id}: ${set.items} items vs ${set.reported} reported`), 3),
  };
}

interface JournalCreate {
  tenant?: string;
  objectName?: string;
  createdId?: string;
  method: string;
  status: number;
}

/**
 * No Graph object created twice: live restores run one at a time per tenant and the only objects that
 * go missing are the ones the harness deletes, so each name may be created at most as often as it was
 * deleted. A second create for one name is a restore item (or a redelivered one) writing twice.
 */
export async function noDoubleWrites(graphUrl: string, sinceSeq: number, faults: FaultFigures): Promise<ChaosCheck> {
  const journal = (await (await fetch(`${graphUrl}/_emulator/journal?sinceSeq=${sinceSeq}`)).json()) as { entries: JournalCreate[] };
  const creates = new Map<string, number>();
  for (const entry of journal.entries) {
    if (entry.method !== 'POST' || entry.status !== 201 || !entry.createdId || !entry.objectName || !entry.tenant) continue;
    const key = deletionKey(entry.tenant, entry.objectName);
    creates.set(key, (creates.get(key) ?? 0) + 1);
  }
  const twice = [...creates].filter(([key, count]) => count > (faults.deletions.get(key) ?? 0));
  // And what Graph holds at the end: two objects of one type and name in one tenant are a double write.
  const duplicates: string[] = [];
  for (const tenant of CHAOS_TENANTS) {
    for (const type of CHAOS_POLICY_TYPES) {
      const objects = (await (await fetch(`${graphUrl}/_emulator/tenants/${tenant.directoryId}/objects/${type}`)).json()) as { displayName?: string; name?: string }[];
      const seen = new Map<string, number>();
      for (const object of objects) {
        const name = object.displayName ?? object.name ?? '';
        seen.set(name, (seen.get(name) ?? 0) + 1);
      }
      for (const [name, count] of seen) if (count > 1) duplicates.push(`${tenant.displayName} ${type} "${name}" ×${count}`);
    }
  }
  const totalCreates = [...creates.values()].reduce((sum, count) => sum + count, 0);
  const totalDeletions = [...faults.deletions.values()].reduce((sum, count) => sum + count, 0);
  return {
    name: 'no double writes (Graph journal: at most one create per deleted object; no duplicate objects)',
    pass: twice.length === 0 && duplicates.length === 0,
    figures:
      `${totalCreates} creates for ${totalDeletions} deletions; ${twice.length} objects created more often than deleted` +
      sample(twice.map(([key, count]) => `${key.replace('\u0000', ' ')} created ${count}× for ${faults.deletions.get(key) ?? 0} deletions`), 3) +
      `; ${duplicates.length} duplicate objects in Graph${sample(duplicates, 3)}`,
  };
}

export interface NotificationTally {
  expected: number;
  missing: string[];
  extra: string[];
  duplicated: string[];
  /** Ended runs whose recorded transitions lack queued, running (when it started) or the final status. */
  incompleteHistories: string[];
}

/**
 * The transitions run-service recorded (its outbox keeps each `run:<id>:status:<status>` message) against
 * the initiator's notifications: exactly one each, none missing, none for a transition never made.
 */
export async function tallyNotifications(pool: pg.Pool): Promise<NotificationTally> {
  const transitions = `
    WITH transitions AS (
      SELECT split_part(o.message_id, ':', 2)::uuid AS run_id, split_part(o.message_id, ':', 4) AS status
        FROM run_service.outbox o WHERE o.message_id LIKE 'run:%:status:%'),
    notified AS (
      SELECT n.run_id, n.status, count(*) AS times FROM notifier.notifications n
        JOIN run_service.runs r ON r.id = n.run_id AND lower(n.user_id::text) = lower(r.initiator_user_id::text)
       GROUP BY n.run_id, n.status)`;
  const keys = async (sql: string) => (await pool.query<{ key: string }>(`${transitions} ${sql}`)).rows.map((row) => row.key);
  const missing = await keys(`SELECT t.run_id || ':' || t.status AS key FROM transitions t
    WHERE NOT EXISTS (SELECT 1 FROM notified n WHERE n.run_id = t.run_id AND n.status = t.status)`);
  const extra = await keys(`SELECT n.run_id || ':' || n.status AS key FROM notified n
    WHERE NOT EXISTS (SELECT 1 FROM transitions t WHERE t.run_id = n.run_id AND t.status = n.status)`);
  const duplicated = await keys(`SELECT n.run_id || ':' || n.status || ' ×' || n.times AS key FROM notified n WHERE n.times > 1`);
  const expected = await keys(`SELECT count(*)::text AS key FROM transitions`);
  const incompleteHistories = await keys(`SELECT r.id::text AS key FROM run_service.runs r
     WHERE r.status IN ('succeeded', 'partial', 'failed', 'canceled')
       AND (NOT EXISTS (SELECT 1 FROM transitions t WHERE t.run_id = r.id AND t.status = 'queued')
         OR NOT EXISTS (SELECT 1 FROM transitions t WHERE t.run_id = r.id AND t.status = r.status)
         OR (r.started_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM transitions t WHERE t.run_id = r.id AND t.status = 'running')))`);
  return { expected: Number(expected[0]), missing, extra, duplicated, incompleteHistories };
}

export function oneNotificationPerTransition(tally: NotificationTally): ChaosCheck {
  return {
    name: 'exactly one notification per (run, transition), none missing',
    pass: tally.missing.length === 0 && tally.extra.length === 0 && tally.duplicated.length === 0 && tally.incompleteHistories.length === 0,
    figures:
      `${tally.expected} transitions recorded; ${tally.missing.length} without a notification${sample(tally.missing, 3)}; ` +
      `${tally.duplicated.length} notified more than once${sample(tally.duplicated, 3)}; ${tally.extra.length} notifications for no recorded transition${sample(tally.extra, 3)}; ` +
      `${tally.incompleteHistories.length} ended runs with an incomplete status history${sample(tally.incompleteHistories, 3)}`,
  };
}

export async function noOverlappingRuns(pool: pg.Pool, load: LoadFigures): Promise<ChaosCheck> {
  const { rows } = await pool.query<{ pair: string }>(`
    SELECT a.id || ' / ' || b.id AS pair FROM run_service.runs a
      JOIN run_service.runs b ON a.dedupe_key = b.dedupe_key AND a.id < b.id
     WHERE a.queued_at < coalesce(b.finished_at, 'infinity') AND b.queued_at < coalesce(a.finished_at, 'infinity')`);
  const { rows: keys } = await pool.query<{ keys: string; runs: string }>(`SELECT count(DISTINCT dedupe_key) AS keys, count(*) AS runs FROM run_service.runs`);
  const pairs = load.pairs.filter((pair) => pair.runIds.length === 2);
  const same = pairs.filter((pair) => pair.runIds[0] === pair.runIds[1]).length;
  return {
    name: 'no two overlapping runs with one de-duplication key',
    pass: rows.length === 0,
    figures:
      `${rows.length} overlapping pairs${sample(rows.map((row) => row.pair), 3)} over ${keys[0].runs} runs and ${keys[0].keys} keys; ` +
      `double-clicks: ${same}/${pairs.length} pairs sent at once got the same run (one gateway ${load.startsByVariant['double-click']}, both gateways ${load.startsByVariant['both-gateways']})`,
  };
}

/**
 * Each poison is recorded exactly once by each consumer it reaches, and nothing JetStream gave up on goes unrecorded:
 * every message its advisories name (terminated, or deliveries exhausted) has its row, by stream and sequence, and
 * every row is a poison of the test or a message an advisory named. Advisories are core NATS messages, at most once:
 * one published while a NATS node is down can be lost, so a poison's row without its advisory is counted, not failed
 * (the marker check above it already proves that poison recorded exactly once).
 */
export async function poisonRecorded(pool: pg.Pool, faults: FaultFigures): Promise<ChaosCheck> {
  const wrong: string[] = [];
  let expected = 0;
  for (const poison of faults.poisons) {
    for (const service of poison.consumers) {
      expected += 1;
      const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM ${SERVICE_SCHEMAS[service]}.rejected_messages WHERE payload LIKE $1`, [`%${poison.marker}%`]);
      if (rows[0].count !== '1') wrong.push(`${poison.marker} recorded ${rows[0].count}× by ${service}`);
    }
  }
  const perService: string[] = [];
  const unrecorded: string[] = [];
  const unexplained: string[] = [];
  let advisoriesNotSeen = 0;
  for (const service of CHAOS_SERVICES) {
    const { rows } = await pool.query<{ stream: string | null; sequence: string | null; payload: Buffer }>(
      `SELECT stream, stream_sequence::text AS sequence, payload FROM ${SERVICE_SCHEMAS[service]}.rejected_messages`,
    );
    // Advisory keys are stream/consumer/sequence; a row names its stream and sequence (one row per message).
    const dropped = new Set([...faults.droppedByService.get(service)!].map((key) => key.split('/')).map(([stream, , sequence]) => `${stream}/${sequence}`));
    const recorded = new Set(rows.map((row) => `${row.stream}/${row.sequence}`));
    for (const message of dropped) if (!recorded.has(message)) unrecorded.push(`${service} ${message}`);
    const markers = faults.poisons.filter((poison) => poison.consumers.includes(service)).map((poison) => poison.marker);
    for (const row of rows) {
      if (dropped.has(`${row.stream}/${row.sequence}`)) continue;
      if (markers.some((marker) => row.payload.includes(marker))) advisoriesNotSeen += 1; // bytea: searched as bytes
      else unexplained.push(`${service} ${row.stream}/${row.sequence}`);
    }
    perService.push(`${service} ${rows.length}/${dropped.size}`);
  }
  return {
    name: 'no poison message unrecorded (rejected_messages vs JetStream terminated/max-deliveries)',
    pass: wrong.length === 0 && unrecorded.length === 0 && unexplained.length === 0,
    figures:
      `${expected - wrong.length}/${expected} poison deliveries recorded exactly once${sample(wrong, 3)}; ` +
      `rows/dropped per service: ${perService.join(', ')}; dropped but not recorded: ${unrecorded.length}${sample(unrecorded, 3)}; ` +
      `recorded, neither a poison nor dropped: ${unexplained.length}${sample(unexplained, 3)}; poisons whose advisory was not seen: ${advisoriesNotSeen}`,
  };
}

/** Whether a request was in flight (sent … answered) at some point of an outage (plus its grace). */
const overlaps = (answer: HttpAnswer, window: Window | undefined) =>
  window !== undefined && answer.answeredAt >= window.from && answer.at <= window.to + OUTAGE_GRACE_MS;

/**
 * No 5xx but 503 + Retry-After (the gateway's "try again": nothing accepted is lost, a retried start is
 * de-duplicated). Each 503 is attributed where it can be: to an outage it was in flight during (Postgres or NATS,
 * plus the grace), or to a replica SIGKILLed while it was in flight (its answer died with it); the rest are
 * counted as unattributed (a figure to watch, e.g. a surviving replica slow while its sibling restarts). A 500, a
 * 502 or a 503 without Retry-After fails the check.
 */
export function no5xxOutsideOutages(load: LoadFigures, faults: FaultFigures): ChaosCheck {
  const errors = load.answers.filter((answer) => answer.status >= 500);
  const retryable = errors.filter((answer) => answer.status === 503 && answer.retryAfter);
  const duringPostgres = retryable.filter((answer) => overlaps(answer, faults.postgresOutage));
  const duringNats = retryable.filter((answer) => !overlaps(answer, faults.postgresOutage) && overlaps(answer, faults.natsOutage));
  const killedInFlight = retryable.filter(
    (answer) =>
      !duringPostgres.includes(answer) &&
      !duringNats.includes(answer) &&
      faults.kills.some((kill) => !kill.instance.startsWith('gateway') && kill.at <= answer.answeredAt && kill.at + KILL_SETTLE_MS >= answer.at),
  );
  const unattributed = retryable.filter((answer) => !duringPostgres.includes(answer) && !duringNats.includes(answer) && !killedInFlight.includes(answer));
  const other = errors.filter((answer) => !retryable.includes(answer));
  const describe = (answers: HttpAnswer[]) => {
    const byRoute = new Map<string, number>();
    for (const answer of answers) {
      const key = `${answer.status} ${answer.route}${overlaps(answer, faults.postgresOutage) ? ' (Postgres outage)' : overlaps(answer, faults.natsOutage) ? ' (NATS outage)' : ''}`;
      byRoute.set(key, (byRoute.get(key) ?? 0) + 1);
    }
    return answers.length ? ` (${[...byRoute].map(([key, count]) => `${key} ×${count}`).join(', ')})` : '';
  };
  const refused = load.answers.filter((answer) => answer.status === 0).length;
  return {
    name: 'no 5xx from the gateways but 503 + Retry-After',
    pass: other.length === 0,
    figures:
      `${load.answers.length} answers; 503 + Retry-After during the Postgres outage ${duringPostgres.length}, during the NATS outage ${duringNats.length}, ` +
      `with a replica killed while the request was in flight ${killedInFlight.length}, unattributed ${unattributed.length}${describe(unattributed)}; ` +
      `other 5xx ${other.length}${describe(other)}; no answer (gateway killed) ${refused}; starts abandoned after every retry ${load.abandoned}`,
  };
}
