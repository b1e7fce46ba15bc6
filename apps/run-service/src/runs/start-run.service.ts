import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  RUN_COMMAND_SUBJECTS,
  RUN_TYPE_SHAPES,
  type RunCommand,
  type StartRunReply,
  type StartRunRequest,
} from '@policyvault/contracts';
import { JETSTREAM_NAMES, validateMessage, type JetStreamNames } from '@policyvault/platform';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunServiceError } from '../rpc/run-service.error.js';
import { canonicalize, dedupeKey, stableHash } from './dedupe-key.js';
import { toRunView, type RunRow } from './run-view.mapper.js';

// One statement, so one transaction: the run and its command commit together or not at all. The
// partial unique index on active runs turns a concurrent duplicate into "DO NOTHING" (it waits for
// the first inserter to commit), whichever replica it reached.
const INSERT_RUN_WITH_COMMAND = `
  WITH inserted AS (
    INSERT INTO run_service.runs
      (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status,
       initiator_user_id, initiator_email)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10)
    ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING *
  ), command AS (
    INSERT INTO run_service.outbox (subject, message_id, payload)
    SELECT $11, $12, $13 FROM inserted
  )
  SELECT * FROM inserted`;

const SELECT_ACTIVE_RUN = `
  SELECT * FROM run_service.runs WHERE dedupe_key = $1 AND status IN ('queued', 'running')`;

@Injectable()
export class StartRunService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly relay: OutboxRelay,
  ) {}

  /** Creates the run and its command, or returns the active run doing the same work. */
  async start(request: StartRunRequest): Promise<StartRunReply> {
    const shape = RUN_TYPE_SHAPES[request.type];
    const target = validateMessage(shape.target, request.target);
    const scope = validateMessage(shape.scope, request.scope);
    const problems = [
      ...(target.ok ? [] : target.problems.map((problem) => `target.${problem}`)),
      ...(scope.ok ? [] : scope.problems.map((problem) => `scope.${problem}`)),
    ];
    if (!target.ok || !scope.ok) throw RunServiceError.validation(problems);

    const canonicalTarget = canonicalize({ ...target.value }) as Record<string, unknown>;
    const canonicalScope = canonicalize({ ...scope.value }) as Record<string, unknown>;
    const scopeHash = stableHash(canonicalScope);
    const key = dedupeKey(request.tenantId, request.type, canonicalTarget, scopeHash);

    // The active run may end between our insert and our select: then a new run may start, so retry.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const runId = randomUUID();
      const command: RunCommand = {
        runId,
        tenantId: request.tenantId,
        tenantDirectoryId: request.tenantDirectoryId,
        type: request.type,
        target: canonicalTarget,
        scope: canonicalScope,
        initiator: { userId: request.initiator.userId, email: request.initiator.email },
        queuedAt: new Date().toISOString(),
      };
      const inserted: RunRow[] = await this.database.query(INSERT_RUN_WITH_COMMAND, [
        runId,
        request.tenantId,
        request.tenantDirectoryId,
        request.type,
        canonicalTarget,
        canonicalScope,
        scopeHash,
        key,
        request.initiator.userId,
        request.initiator.email,
        this.names.subject(RUN_COMMAND_SUBJECTS[request.type]),
        `run:${runId}:command`,
        command,
      ]);
      if (inserted.length > 0) {
        this.relay.kick();
        return { run: toRunView(inserted[0]), reused: false };
      }
      const active: RunRow[] = await this.database.query(SELECT_ACTIVE_RUN, [key]);
      if (active.length > 0) return { run: toRunView(active[0]), reused: true };
    }
    throw new Error('could not create or find the active run after 5 attempts');
  }
}
