// The SSE benchmark's clients in a worker thread of their own (see sse-clients.ts): opened from `workerData`,
// then asked by the harness through messages, one request at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { LocalSseClients, type SseClientsReply, type SseClientsRequest, type SseClientsSetup } from './sse-clients.js';

const port = parentPort!;
const reply = (work: Promise<unknown>) =>
  work.then(
    (value) => port.postMessage({ ok: true, value } satisfies SseClientsReply),
    (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies SseClientsReply),
  );

const opened = LocalSseClients.open(workerData as SseClientsSetup);
void reply(opened.then(() => undefined));

port.on('message', (request: SseClientsRequest) => {
  void reply(
    opened.then((clients): Promise<unknown> => {
      switch (request.kind) {
        case 'awaitEnds':
          return clients.awaitEnds(request.runIds, request.timeoutMs);
        case 'startMeasure':
          return clients.startMeasure();
        case 'report':
          return clients.report(request.runIds);
        case 'close':
          return clients.close();
      }
    }),
  );
});
