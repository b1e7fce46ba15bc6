import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RUN_TYPES_REGISTRY, type RunCommand, type StartRunReply, type StartRunRequest } from '@policyvault/contracts';
import { JETSTREAM_NAMES, annotateRun, validateRunTargetAndScope, type JetStreamNames, RpcException } from '@policyvault/platform';
import { IdempotencyAnchors } from '../idempotency/idempotency-anchors.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { canonicalize, dedupeKey, stableHash } from './dedupe-key.js';
import { StartRunWriter, type PendingStart } from './start-run-writer.js';
import { toRunView } from './run-view.mapper.js';
import { RestoreConfirmationCheck } from './restore-confirmation.check.js';
import { runStarts } from './run.metrics.js';

export interface PreparedStart {
  dedupeKey: string;
  scopeHash: string;
  target: Record<string, unknown>;
  pending(runId: string): PendingStart;
}

@Injectable()
export class StartRunService {
  private readonly writer: StartRunWriter;

  constructor(
    @InjectDataSource() database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    relay: OutboxRelay,
    private readonly confirmations: RestoreConfirmationCheck,
    private readonly anchors: IdempotencyAnchors,
  ) {
    this.writer = new StartRunWriter(database, names, relay);
  }

  /**
   * Creates the run and its command, or returns the active run doing the same work. A start with an
   * Idempotency-Key anchor that was seen before answers what it answered then (the run it started or
   * reused, whatever its status now): checked before the confirmation, which may no longer hold.
   */
  async start(request: StartRunRequest): Promise<StartRunReply> {
    annotateRun(request);
    const prepared = this.prepare(request);
    const anchor = request.idempotencyKey;
    const earlier = anchor ? await this.anchors.findRun(request.tenantId, anchor) : null;
    if (earlier) return { run: toRunView(earlier.run), reused: earlier.reused };
    await this.confirmations.check(request, prepared);
    // The active run may end between our insert and our select: then a new run may start, so retry.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await this.writer.write({ ...prepared.pending(randomUUID()), ...(anchor ? { idempotencyAnchor: anchor } : {}) });
      if (!result) continue;
      runStarts.inc({ type: request.type, result: result.reused ? 'reused' : 'started' });
      const answer = result.reused && anchor ? await this.anchors.recordReuse(request.tenantId, anchor, result.run) : result;
      annotateRun({ runId: answer.run.id });
      return { run: toRunView(answer.run), reused: answer.reused };
    }
    throw new Error('could not create or find the active run after 5 attempts');
  }

  /** Validates a start and computes its de-duplication key; `pending(id)` is the row to write. */
  prepare(request: StartRunRequest): PreparedStart {
    const parts = validateRunTargetAndScope(request.type, request.target, request.scope);
    if (!parts.ok) throw RpcException.validation(parts.problems);

    const canonicalTarget = canonicalize({ ...parts.value.target }) as Record<string, unknown>;
    const canonicalScope = canonicalize({ ...parts.value.scope }) as Record<string, unknown>;
    const scopeHash = stableHash(canonicalScope);
    const key = dedupeKey(request.tenantId, request.type, canonicalTarget, scopeHash);
    return {
      dedupeKey: key,
      scopeHash,
      target: canonicalTarget,
      pending: (runId: string): PendingStart => {
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
        return {
          id: runId,
          tenantId: request.tenantId,
          tenantDirectoryId: request.tenantDirectoryId,
          type: request.type,
          target: canonicalTarget,
          scope: canonicalScope,
          scopeHash,
          dedupeKey: key,
          initiatorUserId: request.initiator.userId,
          initiatorEmail: request.initiator.email,
          subject: this.names.subject(RUN_TYPES_REGISTRY[request.type].subject),
          messageId: `run:${runId}:command`,
          payload: { ...command },
        };
      },
    };
  }
}
