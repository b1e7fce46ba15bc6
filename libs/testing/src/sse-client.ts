// A server-sent events client for the gateway's integration and end-to-end tests and the SSE
// benchmark: raw node:http (a fetch-based EventSource, since the bearer token goes in a header; raw so
// a test can also stall it on purpose), parsing `id:`, `event:`, `data:` and comment lines, recording
// when each event arrived.
import { request, type IncomingMessage } from 'node:http';

export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body of a non-200 answer. */
  errorBody: unknown;
  events: ReceivedEvent[];
  comments: string[];
  /** Resolves when the server or the network ended the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Resolves with the events once `done` accepts them. */
  waitFor(done: (events: ReceivedEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedEvent[]>;
  close(): void;
}

export interface SseOptions {
  token?: string;
  lastEventId?: string;
  /** Never read from the socket after the headers (a client that cannot keep up). */
  stalled?: boolean;
}

export function openSse(url: string, { token, lastEventId, stalled = false }: SseOptions = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const outgoing = request(url, { headers, agent: false }, (response) => {
      const events: ReceivedEvent[] = [];
      const comments: string[] = [];
      let ended = false;
      const waiters = new Set<() => void>();
      const ping = () => waiters.forEach((waiter) => waiter());
      const endedPromise = new Promise<void>((resolveEnded) => {
        const finish = () => {
          ended = true;
          ping();
          resolveEnded();
        };
        response.once('end', finish);
        response.once('close', finish);
        response.once('error', finish);
      });
      const connection: SseConnection = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        errorBody: undefined,
        events,
        comments,
        ended: endedPromise,
        isEnded: () => ended,
        waitFor(done, timeoutMs = 10_000, what = 'events') {
          return new Promise((resolveWait, rejectWait) => {
            const check = () => {
              if (done(events)) {
                cleanup();
                resolveWait(events);
              } else if (ended) {
                cleanup();
                rejectWait(new Error(`stream ended while waiting for ${what}; got ${JSON.stringify(events.map((event) => event.event))}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              rejectWait(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${events.length} events`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        close: () => outgoing.destroy(),
      };
      if (connection.status !== 200) {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          connection.errorBody = body ? JSON.parse(body) : undefined;
          resolve(connection);
        });
        return;
      }
      if (stalled) {
        response.pause();
        resolve(connection);
        return;
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        const receivedAt = Date.now();
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const parsed = parseBlock(block, receivedAt);
          if (parsed.event) events.push(parsed.event);
          comments.push(...parsed.comments);
          boundary = buffer.indexOf('\n\n');
        }
        ping();
      });
      resolve(connection);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function parseBlock(block: string, receivedAt: number): { event?: ReceivedEvent; comments: string[] } {
  const comments: string[] = [];
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length > 0 ? { event: { id, event, data: data.join('\n'), receivedAt }, comments } : { comments };
}
