import { Injectable } from '@nestjs/common';
import type { RunStatusEvent } from '@policyvault/contracts';
import { readRunStatusEvent } from './run-status-event.reader.js';

export interface StoredRunStatusEvent {
  seq: number;
  event: RunStatusEvent;
  /** The event as one line of JSON, ready for an SSE `data:` line. */
  data: string;
  /** When JetStream stored it (ms since the epoch). */
  storedAtMs: number;
}

// Replays and the reconnect checks read recent sequences the live fan-out has already decoded.
const DECODED_CACHE_SIZE = 4096;

/**
 * Turns a stored run-status message into the event every connection writes: parsed and serialized
 * once per process (the live fan-out decodes each event once for all connections; a replay of a
 * recent sequence reuses that). Null for a message that is not a run event, or whose subject names
 * another tenant than the event: the stream's subject is what replays filter on, so both must agree.
 */
@Injectable()
export class RunEventDecoder {
  private readonly decoded = new Map<number, StoredRunStatusEvent | null>();

  decode(seq: number, subject: string, payload: string, storedAtMs: number): StoredRunStatusEvent | null {
    const cached = this.decoded.get(seq);
    if (cached !== undefined) return cached;
    const event = readRunStatusEvent(payload);
    const stored = event && subject.endsWith(`.${event.tenantId}`) ? { seq, event, data: JSON.stringify(event), storedAtMs } : null;
    if (this.decoded.size >= DECODED_CACHE_SIZE) this.decoded.delete(this.decoded.keys().next().value as number);
    this.decoded.set(seq, stored);
    return stored;
  }
}
