import { createServer, type Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ExpressAdapter } from '@nestjs/platform-express';
import { dependenciesWaitedFor } from './wait-for-dependency.js';

/**
 * How often Node checks every connection against the server's header and request timeouts (its default is 30 s).
 * Node reads it when the server starts listening, before any service's own HTTP settings apply.
 */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1000;

/** How long a caller should wait before asking a starting service again. */
const STARTING_RETRY_AFTER_SECONDS = '5';

/**
 * The service's HTTP server, listening before Nest builds the app: while the app waits for NATS and
 * Postgres (waitForDependency), `/health/live` answers 200, `/health/ready` 503 naming what it waits
 * for, and every other path 503 with Retry-After. `open()` hands every request to the app's routes;
 * Nest then uses this same server (`listen` does not bind again, `close` closes it).
 */
export class BootGateAdapter extends ExpressAdapter {
  private readonly server: Server;
  private opened = false;

  constructor(private readonly service: string) {
    super();
    this.server = createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS }, this.getInstance());
    this.use((request: Request, response: Response, next: NextFunction) => (this.opened ? next() : this.answerWhileStarting(request, response)));
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

  override initHttpServer(): void {
    this.setHttpServer(this.server);
  }

  /** Already bound by `bind`: Nest's `app.listen` only waits for its callback. */
  override listen(...args: unknown[]): Server {
    const callback = args.find((argument): argument is () => void => typeof argument === 'function');
    if (callback) setImmediate(callback);
    return this.server;
  }

  private answerWhileStarting(request: Request, response: Response): void {
    if (request.path === '/health/live') {
      response.status(200).json({ status: 'ok' });
      return;
    }
    const waiting = dependenciesWaitedFor();
    if (request.path === '/health/ready') {
      const down = Object.fromEntries(
        (waiting.length > 0 ? waiting : ['startup']).map((name) => [name, { status: 'down', message: waiting.length > 0 ? 'not reachable yet' : 'starting' }]),
      );
      response.status(503).json({ status: 'error', info: {}, error: down, details: down });
      return;
    }
    const what = waiting.length > 0 ? `waiting for ${waiting.join(', ')}` : 'starting';
    response
      .status(503)
      .setHeader('Retry-After', STARTING_RETRY_AFTER_SECONDS)
      .json({ statusCode: 503, error: 'Service Unavailable', message: `${this.service} is ${what}; try again` });
  }
}
