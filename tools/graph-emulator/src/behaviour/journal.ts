/** Top-level keys of a JSON object body, for the journal. */
export function bodyKeysOf(body: unknown): string[] | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : undefined;
}

/** The name a write body gives its object (`displayName`, or `name` for settings catalog policies), for the journal. */
export function objectNameOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { displayName, name } = body as { displayName?: unknown; name?: unknown };
  return typeof displayName === 'string' ? displayName : typeof name === 'string' ? name : undefined;
}

/** The id of the object a 201 answer created, for the journal. */
export function createdIdOf(status: number, answerBody: unknown): string | undefined {
  if (status !== 201 || typeof answerBody !== 'object' || answerBody === null) return undefined;
  const { id } = answerBody as { id?: unknown };
  return typeof id === 'string' ? id : undefined;
}

export type JournalKind = 'token' | 'graph' | 'batch-item';

export interface JournalEntry {
  seq: number;
  /** Arrival time (epoch ms). */
  time: number;
  /** When the answer was sent (epoch ms); for a 429, Retry-After counts from here. */
  respondedAt: number;
  kind: JournalKind;
  method: string;
  /** Path without the query string; for batch items, `/{version}` + the sub-request URL. */
  path: string;
  query: string;
  tenant?: string;
  appId?: string;
  status: number;
  /** Top-level keys of the JSON request body (object bodies only), in the order sent. */
  bodyKeys?: string[];
  /** Writes only: the name the body gives its object (`displayName` or `name`), so creates of one object can be counted. */
  objectName?: string;
  /** A 201 answer's new object id. */
  createdId?: string;
  /** Absent on a 429 sent without `Retry-After`. */
  retryAfterSeconds?: number;
  /** Fault injected on this request, if any. */
  fault?: string;
}

export interface JournalQuery {
  tenant?: string;
  sinceSeq?: number;
  kind?: JournalKind;
}

/** Every request the emulator answered, bounded (oldest dropped first). */
export class RequestJournal {
  private entries: JournalEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly maxEntries = 200_000) {}

  record(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const stored = { seq: this.nextSeq++, ...entry };
    this.entries.push(stored);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    return stored;
  }

  list(query: JournalQuery = {}): JournalEntry[] {
    return this.entries.filter(
      (entry) =>
        (query.tenant === undefined || entry.tenant === query.tenant) &&
        (query.sinceSeq === undefined || entry.seq > query.sinceSeq) &&
        (query.kind === undefined || entry.kind === query.kind),
    );
  }

  /** Requests that would change Graph: any non-GET Graph call other than a `$batch` envelope, and batch items. */
  writes(query: JournalQuery = {}): JournalEntry[] {
    return this.list(query).filter((entry) => entry.kind !== 'token' && entry.method !== 'GET' && !entry.path.endsWith('/$batch'));
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  clear(): void {
    this.entries = [];
  }
}
