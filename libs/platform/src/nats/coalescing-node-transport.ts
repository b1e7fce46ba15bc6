import { errors, hasWsProtocol, NatsConnectionImpl, setTransportFactory, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { NodeTransport, nodeResolveHost } from '@nats-io/transport-node/lib/node_transport.js';
import { settleAnsweredRequestsQuietly } from './answered-requests.js';

/**
 * nats.js's Node transport with one socket write per event-loop turn instead of one per flush.
 *
 * The client buffers a command and flushes it in its own microtask, so requests started by different
 * callbacks of one loop turn (the HTTP requests the gateway parsed in one poll, the replies and JetStream
 * publishes of one run-service batch) each make a `write` system call and wake the NATS server once. Here the
 * socket is corked at the turn's first write and uncorked on `setImmediate` (after the poll phase): the turn's
 * frames leave in one `writev`, in order. A close uncorks first: the client's close destroys the socket at once,
 * which would drop what is still corked (the plain transport has written it by then).
 */
export class CoalescingNodeTransport extends NodeTransport {
  override send(frame: Uint8Array): void {
    const socket = this.socket;
    if (socket && !corkedTransports.has(this)) {
      corkedTransports.add(this);
      socket.cork();
      setImmediate(() => this.uncork());
    }
    super.send(frame);
  }

  /** Writes what this turn corked so far (once: a later uncork of the same cork finds nothing to do). */
  uncork(): void {
    if (corkedTransports.delete(this)) this.socket?.uncork();
  }

  override close(error?: Error): Promise<void> {
    this.uncork();
    return super.close(error);
  }
}

/** The transports whose socket is corked in this turn. */
const corkedTransports = new Set<CoalescingNodeTransport>();

/**
 * Writes the frames sent so far in this loop turn now, instead of after the turn's poll phase: for frames whose
 * latency matters more than the write they share (run-service's publishes of a commit's outbox rows, which would
 * otherwise wait behind every other callback of a busy turn). Call it in a microtask queued after the sends (nats.js
 * hands a command to the transport in a microtask of its own, queued by the command's first frame).
 */
export function writeCoalescedNow(): void {
  // Deleting the element being visited is safe in a Set's iteration.
  for (const transport of corkedTransports) transport.uncork();
}

/**
 * Resolves once the NATS frames sent so far in this loop turn have left their sockets: call it before work whose
 * frames should follow them (run-service answers a start batch's requests after the batch's JetStream publishes,
 * so that the publishes do not wait in the corked socket while every reply is serialised).
 *
 * A frame sent this turn has either corked its socket already (its uncork is queued ahead of our first
 * immediate) or is handed over by nats.js's flush microtask, which runs before any immediate and queues the
 * uncork ahead of our second.
 */
export function afterCoalescedWrites(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * `connect` of @nats-io/transport-node with the coalescing transport. Its transport factory is process-wide and
 * transport-node's own `connect` resets it to the plain transport, so every connection a service opens comes
 * through here (its main one, and Nest's RPC server and clients: NamespacedNatsServer/Client), and so does the fix of
 * answered requests (answered-requests.ts).
 */
export function connectCoalescing(options: ConnectionOptions): Promise<NatsConnection> {
  if (hasWsProtocol(options)) {
    // transport-node's own refusal, word for word.
    return Promise.reject(errors.InvalidArgumentError.format('servers', `node client doesn't support websockets, use the 'wsconnect' function instead`));
  }
  setTransportFactory({ factory: () => new CoalescingNodeTransport(), dnsResolveFn: nodeResolveHost });
  settleAnsweredRequestsQuietly();
  return NatsConnectionImpl.connect(options);
}
