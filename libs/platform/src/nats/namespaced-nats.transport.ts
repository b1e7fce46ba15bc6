// NestJS's NATS transport (core NATS request/reply, queue groups) with every subject prefixed by the
// installation's namespace, so `@MessagePattern(RunRpc.start)` stays a static, versioned name.
import { ClientNats, ServerNats, type NatsOptions, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { rpcServerReplyRecorder } from '../metrics/rpc-server.metrics.js';
import { RpcException } from '../messaging/rpc.exception.js';
import { RpcClientTrace, rpcServerEndHook, rpcServerStartHook } from '../tracing/rpc-tracing.js';
import { connectCoalescing } from './coalescing-node-transport.js';

type NatsTransportOptions = NatsOptions['options'];
type RpcReplyPacket = { err?: unknown; response?: unknown; isDisposed?: boolean };

/** Upper bound for one request; callers put their own, shorter, timeout on the observable. */
const REQUEST_TIMEOUT_MS = 60_000;
/** Nest's default server when the options name none (its NATS_DEFAULT_URL). */
const NATS_DEFAULT_URL = 'nats://localhost:4222';

export class NamespacedNatsServer extends ServerNats {
  constructor(
    private readonly namespace: string,
    private readonly transportOptions: NatsTransportOptions,
  ) {
    super(transportOptions ?? {});
    // Each request is handled inside a server span continuing the caller's trace (its NATS headers).
    this.setOnProcessingStartHook(rpcServerStartHook(namespace));
    this.setOnProcessingEndHook(rpcServerEndHook);
  }

  /** ServerNats's connection, with one socket write per loop turn (coalescing-node-transport.ts). */
  override createNatsClient(): Promise<NatsConnection> {
    return connectCoalescing({ servers: NATS_DEFAULT_URL, ...(this.transportOptions ?? {}) });
  }

  /**
   * Ready once the server has the subscriptions: `listen()` resolves after a flush, so a request sent as soon as the
   * service is up is answered, never "no responders".
   */
  override start(callback: (error?: unknown) => void): void {
    super.start(() => {
      const client = (this as unknown as { natsClient: NatsConnection }).natsClient;
      client.flush().then(() => callback(), callback);
    });
  }

  override bindEvents(client: Parameters<ServerNats['bindEvents']>[0]): void {
    const defaultQueue = this.transportOptions?.queue;
    for (const [pattern, handler] of this.messageHandlers) {
      const queue = (handler.extras?.queue as string | undefined) ?? defaultQueue;
      const subscription = client.subscribe(`${this.namespace}.${pattern}`, {
        queue,
        callback: this.getMessageHandler(pattern).bind(this),
      });
      // ServerNats unsubscribes these on graceful shutdown; the field is private in its typings only.
      (this as unknown as { subscriptions: unknown[] }).subscriptions.push(subscription);
    }
  }

  /**
   * Stops taking requests before the connection closes: the subscriptions are withdrawn and a flush waits until the
   * server has processed that, so a request sent after `close()` resolved goes to another replica (or gets "no
   * responders" at once) instead of being routed to this closing connection and timing out.
   */
  override async close(): Promise<void> {
    const client = (this as unknown as { natsClient: NatsConnection | null }).natsClient;
    if (client && !client.isClosed()) {
      for (const subscription of (this as unknown as { subscriptions: { unsubscribe(): void }[] }).subscriptions) subscription.unsubscribe();
      await client.flush().catch(() => undefined);
    }
    await super.close();
  }

  /**
   * A request that is not one of ours (not JSON, not `{ id, pattern, data }`) would make ServerNats log an
   * error and stay silent, leaving the caller to time out: it gets a `validation_failed` reply at once instead.
   * One of ours goes on to ServerNats with the packet parsed here, so its deserializer (`msg.json()`) does not
   * parse the request a second time.
   */
  override async handleMessage(channel: string, message: Msg): Promise<void> {
    const packet = parseRequestPacket(message.data);
    if (typeof packet !== 'string') return super.handleMessage(channel, withParsedJson(message, packet));
    const reply = { err: RpcException.validation([packet]).toReply(), isDisposed: true };
    rpcServerReplyRecorder(this.namespace, message.subject)(reply);
    if (message.reply) message.respond(JSON.stringify(reply));
  }

  /**
   * ServerNats finds each request's handler by its channel, which it first tries to read as JSON (an object
   * pattern). Ours are dotted subjects, which never are JSON, so that try threw a SyntaxError, stack and all, on every
   * request (~1 % of run-service's CPU on the start path, profiled): a channel that cannot be JSON skips it, with the same route.
   */
  protected override getRouteFromPattern(pattern: string): string {
    return PLAIN_SUBJECT.test(pattern) ? this.normalizePattern(pattern) : super.getRouteFromPattern(pattern);
  }

  /** Every reply goes through here: its first packet (the value or the error) counts the request and its time. */
  override getPublisher(message: Msg, id: string, context: Parameters<ServerNats['getPublisher']>[2]): (response: RpcReplyPacket) => unknown {
    const publish = super.getPublisher(message, id, context);
    const record = rpcServerReplyRecorder(this.namespace, message.subject);
    return (response) => {
      record(response);
      return publish(response);
    };
  }
}

/** A subject-like channel JSON.parse refuses: a letter first, then only word characters, dots and dashes, and not a JSON literal. */
const PLAIN_SUBJECT = /^(?!(?:true|false|null)$)[A-Za-z_][\w.-]*$/;

/** A request as Nest's NATS packet (`{ id, pattern, data }`), or what is wrong with it. */
function parseRequestPacket(data: Uint8Array): { id: string } | string {
  let packet: unknown;
  try {
    packet = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return 'request: must be JSON';
  }
  const id = typeof packet === 'object' && packet !== null ? (packet as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length > 0 ? (packet as { id: string }) : 'request: must be a { id, pattern, data } packet';
}

/** The message as it is, except that `json()` gives the packet already parsed. */
function withParsedJson(message: Msg, packet: unknown): Msg {
  return Object.create(message, { json: { value: () => packet } }) as Msg;
}

export class NamespacedNatsClient extends ClientNats {
  constructor(
    private readonly namespace: string,
    options: NatsTransportOptions,
  ) {
    super(options ?? {});
  }

  /** ClientNats's connection, with one socket write per loop turn (coalescing-node-transport.ts). */
  override async createClient(): Promise<NatsConnection> {
    for (const codec of [this.serializer, this.deserializer] as Array<{ init?: () => unknown } | undefined>) {
      if (typeof codec?.init === 'function') await codec.init();
    }
    return connectCoalescing({ servers: NATS_DEFAULT_URL, ...(this.options ?? {}) });
  }

  protected override normalizePattern(pattern: Parameters<ClientNats['normalizePattern']>[0]): string {
    return `${this.namespace}.${super.normalizePattern(pattern)}`;
  }

  /**
   * One reply per request (our handlers return a single value), sent through the connection's shared
   * reply subscription (`request`) instead of ClientNats's subscribe-publish-unsubscribe per call:
   * two fewer protocol operations per request on the hot start path.
   */
  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => unknown): () => void {
    const packet = this.assignPacketId(partialPacket);
    const subject = this.normalizePattern(partialPacket.pattern);
    const trace = RpcClientTrace.start(super.normalizePattern(partialPacket.pattern), subject);
    let active = true;
    try {
      const serialized = this.serializer.serialize(packet) as { data: Uint8Array | string; headers?: unknown };
      const connection = this.natsClient as unknown as NatsConnection;
      const headers = this.mergeHeaders(serialized.headers);
      connection
        .request(subject, serialized.data, { timeout: REQUEST_TIMEOUT_MS, headers: trace ? trace.headers(headers) : headers })
        .then(
          async (message) => {
            if (!active) return;
            const reply = (await this.deserializer.deserialize(message)) as WritePacket;
            trace?.end({ errorCode: reply.err ? String((reply.err as { code?: unknown }).code ?? 'error') : undefined });
            callback({ err: reply.err, response: reply.response, isDisposed: true });
          },
          (error: unknown) => {
            trace?.end({ errorCode: (error as Error)?.name ?? 'error' });
            if (active) callback({ err: error, isDisposed: true });
          },
        );
    } catch (error) {
      trace?.end({ errorCode: (error as Error)?.name ?? 'error' });
      callback({ err: error, isDisposed: true });
    }
    return () => {
      active = false;
      trace?.end({ errorCode: 'canceled' });
    };
  }
}
