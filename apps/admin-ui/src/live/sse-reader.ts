// Server-sent events over fetch: the gateway wants the bearer token in a header, which the browser's
// EventSource cannot send. Parses `id:`, `event:`, `data:` lines (comments ignored) per the SSE format.
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Feeds text chunks in, calls `emit` per complete event; keeps the unfinished tail between chunks. */
export function createSseParser(emit: (message: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  return (chunk) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (current.data.length > 0) emit({ id: current.id, event: current.event ?? 'message', data: current.data.join('\n') });
        current = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') current.data.push(value);
      else if (field === 'event') current.event = value;
      else if (field === 'id') current.id = value;
    }
  };
}

export interface SseStreamOptions {
  url: string;
  headers: () => Promise<Record<string, string>>;
  onMessage: (message: SseMessage) => void;
  /** A non-200 answer (401, 403, 503): the status; the stream does not retry 401/403. */
  onHttpError?: (status: number) => void;
  signal: AbortSignal;
  retryDelayMs?: number;
}

/** Keeps one stream open until `signal` aborts, reconnecting with Last-Event-ID after a drop. */
export async function followSse({ url, headers, onMessage, onHttpError, signal, retryDelayMs = 2000 }: SseStreamOptions): Promise<void> {
  let lastEventId: string | undefined;
  while (!signal.aborted) {
    try {
      const requestHeaders = await headers();
      const response = await fetch(url, {
        headers: { accept: 'text/event-stream', ...requestHeaders, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal,
      });
      if (response.status === 204) return;
      if (!response.ok || !response.body) {
        onHttpError?.(response.status);
        if (response.status === 401 || response.status === 403 || response.status === 404) return;
      } else {
        const parse = createSseParser((message) => {
          if (message.id) lastEventId = message.id;
          onMessage(message);
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
  }
}
