// NestJS's NATS transport (core NATS request/reply, queue groups) with every subject prefixed by the
// installation's namespace, so `@MessagePattern(RunRpc.start)` stays a static, versioned name.
import { ClientNats, ServerNats, type NatsOptions } from '@nestjs/microservices';

type NatsTransportOptions = NatsOptions['options'];

export class NamespacedNatsServer extends ServerNats {
  constructor(
    private readonly namespace: string,
    private readonly transportOptions: NatsTransportOptions,
  ) {
    super(transportOptions ?? {});
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
}

export class NamespacedNatsClient extends ClientNats {
  constructor(
    private readonly namespace: string,
    options: NatsTransportOptions,
  ) {
    super(options ?? {});
  }

  protected override normalizePattern(pattern: Parameters<ClientNats['normalizePattern']>[0]): string {
    return `${this.namespace}.${super.normalizePattern(pattern)}`;
  }
}
