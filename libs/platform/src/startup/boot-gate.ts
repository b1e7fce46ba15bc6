import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerFactoryHandler, FastifyServerOptions } from 'fastify';
import { PLATFORM_FASTIFY_OPTIONS, rememberFastifyRequest, type RawMiddleware } from '../http/fastify-options.js';
import { dependenciesWaitedFor } from './wait-for-dependency.js';

/**
 * How often Node checks every connection against the server's header and request timeouts (its default is 30 s).
 * Node reads it when the server starts listening, before any service's own HTTP settings apply.
 */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1000;

/** How long a caller should wait before asking a starting service again. */
const STARTING_RETRY_AFTER_SECONDS = '5';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** What a service may add to PLATFORM_FASTIFY_OPTIONS: how Fastify's router answers a request it refuses (the gateway's). */
export type BootGateOptions = Pick<FastifyServerOptions, 'frameworkErrors'>;

/**
 * The service's HTTP server, listening before Nest builds the app: while the app waits for NATS and
 * Postgres (waitForDependency), `/health/live` answers 200, `/health/ready` 503 naming what it waits
 * for, and every other path 503 with Retry-After. `open()` hands every request to the app (the raw
 * middleware, then Fastify). The server is ours, not Fastify's (serverFactory): Fastify never binds it
 * (`listen` only waits for Fastify to be ready) and does not close it (`close` does).
 */
export class BootGateAdapter extends FastifyAdapter {
  private readonly server: Server;
  private readonly service: string;
  private readonly fastifyHandler: RequestListener;
  private readonly rawMiddleware: RawMiddleware[] = [];
  private opened = false;

  constructor(service: string, options: BootGateOptions = {}) {
    // The server's listener is chosen per request once `this` exists; Fastify is handed the server as it builds.
    let listener: RequestListener = () => undefined;
    const server = createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS }, (request, response) => listener(request, response));
    let fastifyHandler: RequestListener | undefined;
    super({
      ...PLATFORM_FASTIFY_OPTIONS,
      ...options,
      // No Nest middleware anywhere (the code that must see every request is raw middleware, `useRaw`): without
      // @fastify/middie, a request no longer runs its empty chain in an `onRequest` hook (~4 % of the gateway's CPU
      // per start, profiled).
      skipMiddie: true,
      serverFactory: (handler: FastifyServerFactoryHandler) => {
        fastifyHandler = handler;
        return server;
      },
    });
    if (!fastifyHandler) throw new Error('Fastify did not build its server through serverFactory');
    this.server = server;
    this.service = service;
    this.fastifyHandler = fastifyHandler;
    listener = (request, response) => (this.opened ? this.handle(request, response) : this.answerWhileStarting(request, response));
    // Fastify answers malformed requests and header timeouts with its own JSON; Node's plain 400/408 stay.
    server.removeAllListeners('clientError');
    this.getInstance().addHook('onRequest', rememberFastifyRequest);
  }

  bind(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.removeListener('error', reject);
        resolve();
      });
    });
  }

  /** The port the server listens on: the one asked for, or the one the system chose for port 0. */
  boundPort(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  open(): void {
    this.opened = true;
  }

  /** Runs before Fastify on every request once open, in the order added (whatever answers the request, even Fastify's router). */
  useRaw(middleware: RawMiddleware): void {
    this.rawMiddleware.push(middleware);
  }

  /** Already bound by `bind`: Nest's `app.listen` only waits for Fastify to be ready (hooks, plugins, the 404 handler). */
  override listen(...args: unknown[]): void {
    const callback = args.find((argument): argument is (error?: Error) => void => typeof argument === 'function');
    this.getInstance()
      .ready()
      .then(
        () => callback?.(),
        (error: Error) => callback?.(error),
      );
  }

  /** Fastify closes only a server it listened on itself. */
  override async close(): Promise<void> {
    await super.close();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    let index = 0;
    const next = (): void => {
      const middleware = this.rawMiddleware[index++];
      if (middleware) middleware(request, response, next);
      else this.fastifyHandler(request, response);
    };
    next();
  }

  private answerWhileStarting(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health/live') return send(request, response, 200, { status: 'ok' });
    const waiting = dependenciesWaitedFor();
    if (path === '/health/ready') {
      const down = Object.fromEntries(
        (waiting.length > 0 ? waiting : ['startup']).map((name) => [name, { status: 'down', message: waiting.length > 0 ? 'not reachable yet' : 'starting' }]),
      );
      return send(request, response, 503, { status: 'error', info: {}, error: down, details: down });
    }
    const what = waiting.length > 0 ? `waiting for ${waiting.join(', ')}` : 'starting';
    response.setHeader('Retry-After', STARTING_RETRY_AFTER_SECONDS);
    send(request, response, 503, { statusCode: 503, error: 'Service Unavailable', message: `${this.service} is ${what}; try again` });
  }
}

/** A JSON answer on the Node response, as Express' `json()` made it (no body for HEAD). */
function send(request: IncomingMessage, response: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  response.end(request.method === 'HEAD' ? undefined : json);
}
