// What Nest's HTTP adapter costs per start, Express (the gateway's today) against Fastify, in one run:
// `npm run bench:http-adapter` (`BENCH_ROUNDS`, `BENCH_SECONDS`, `BENCH_CONNECTIONS`, `BENCH_OTHER_ROUTES`).
//
// Issue 17, target 1 names the Fastify adapter as a candidate for the gateway, whose CPU per start is the largest
// of the start path's processes. Its profiles spread Express's part over Express, its router, body-parser and Node's
// HTTP internals, so they cannot say what a change of adapter would save. This bench measures it: the same Nest app
// shaped like the gateway's start route (as many other routes registered, two async guards, an interceptor, a pipe,
// a path parameter, a JSON body, a response header set through the adapter, an answer after an asynchronous step
// standing for the NATS request) served by each adapter in its own process, driven by autocannon, in alternating
// rounds. The figure is the server process's CPU time (user + system, from `process.cpuUsage`) per request: the
// machine is shared, so wall-clock throughput is reported but not compared.
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Module,
  Param,
  Post,
  Res,
  UseGuards,
  UseInterceptors,
  UsePipes,
  type ArgumentMetadata,
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { map } from 'rxjs';

type Adapter = 'express' | 'fastify';
const ADAPTERS: Adapter[] = ['express', 'fastify'];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Routes registered besides the start route: the gateway has ~60. */
const OTHER_ROUTES = Number(process.env.BENCH_OTHER_ROUTES ?? 58);
const BODY_LIMIT_BYTES = 1_048_576;
const TENANT_ID = '7c2d9e10-1111-4111-8111-000000000001';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

interface BenchRequest {
  headers: Record<string, string | undefined>;
  params: Record<string, string>;
  identity?: { email: string };
}

@Injectable()
class BearerGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<BenchRequest>();
    if (!BEARER.exec(request.headers.authorization ?? '')) return false;
    request.identity = { email: 'owner@contoso.test' };
    return true;
  }
}

@Injectable()
class TenantGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    return context.switchToHttp().getRequest<BenchRequest>().params.tenantId?.length === 36;
  }
}

@Injectable()
class StampInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(map((answer: Record<string, unknown>) => ({ ...answer, answeredAt: new Date().toISOString() })));
  }
}

@Injectable()
class BodyShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type !== 'body') return value;
    if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') throw new BadRequestException('type must be a string');
    return value;
  }
}

@Controller('api/tenants/:tenantId/runs')
class StartController {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  @Post()
  @HttpCode(202)
  @UseGuards(BearerGuard, TenantGuard)
  @UseInterceptors(StampInterceptor)
  @UsePipes(BodyShapePipe)
  async start(@Param('tenantId') tenantId: string, @Body() body: { type: string }, @Res({ passthrough: true }) response: unknown) {
    await new Promise((resolve) => setImmediate(resolve));
    this.adapterHost.httpAdapter.setHeader(response, 'Location', `/api/tenants/${tenantId}/runs/${TENANT_ID}`);
    return { id: TENANT_ID, tenantId, type: body.type, status: 'queued' };
  }
}

function otherControllers(): Array<new () => object> {
  const controllers: Array<new () => object> = [];
  for (let index = 0; index < Math.ceil(OTHER_ROUTES / 2); index += 1) {
    @Controller(`api/tenants/:tenantId/other-${index}`)
    class OtherController {
      @Get()
      list() {
        return [];
      }
      @Post()
      add(@Body() body: unknown) {
        return body;
      }
    }
    controllers.push(OtherController);
  }
  return controllers;
}

/** The server half: a child process that serves the app with one adapter and reports its CPU time when asked. */
async function serve(adapter: Adapter): Promise<void> {
  @Module({ controllers: [...otherControllers(), StartController], providers: [BearerGuard, TenantGuard] })
  class BenchModule {}
  if (adapter === 'express') {
    const app = await NestFactory.create<NestExpressApplication>(BenchModule, new ExpressAdapter(), { logger: false, bodyParser: false });
    // As the gateway configures Express (apps/gateway/src/configure-http.ts).
    app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
    app.useBodyParser('urlencoded', { limit: BODY_LIMIT_BYTES, extended: false });
    app.useBodyParser('text', { type: 'text/csv', limit: BODY_LIMIT_BYTES });
    app.set('etag', false);
    app.disable('x-powered-by');
    await app.listen(0, '127.0.0.1');
    report(app.getHttpServer().address());
  } else {
    const fastify = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
    fastify.getInstance().addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, text, done) => done(null, text));
    const app = await NestFactory.create(BenchModule, fastify, { logger: false });
    await app.listen(0, '127.0.0.1');
    report(app.getHttpServer().address());
  }
}

function report(address: unknown): void {
  process.send?.({ port: (address as { port: number }).port });
  process.on('message', () => {
    const used = process.cpuUsage();
    process.send?.({ cpuMs: (used.user + used.system) / 1000 });
  });
}

function ask<T>(child: ChildProcess, key: string, send?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, T>) => {
      if (!(key in message)) return;
      child.off('message', onMessage);
      resolve(message[key]);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the ${key} server exited with code ${code}`)));
    if (send) child.send(send);
  });
}

interface RoundResult {
  adapter: Adapter;
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  cpuMsPerRequest: number;
}

async function round(adapter: Adapter): Promise<RoundResult> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_SERVE: adapter } });
  try {
    const port = await ask<number>(child, 'port');
    const options = {
      url: `http://127.0.0.1:${port}/api/tenants/${TENANT_ID}/runs`,
      method: 'POST' as const,
      connections: CONNECTIONS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'e'.repeat(900)}` },
      body: JSON.stringify({ type: 'policy.capture_snapshot', target: { policyId: TENANT_ID }, scope: {} }),
    };
    await autocannon({ ...options, duration: 2 }); // warm-up: the JIT, the connections
    const before = await ask<number>(child, 'cpuMs', 'cpu');
    const result = await autocannon({ ...options, duration: SECONDS });
    const after = await ask<number>(child, 'cpuMs', 'cpu');
    const requests = result.requests.total;
    return {
      adapter,
      requests,
      requestsPerSecond: Math.round(requests / SECONDS),
      non2xx: result.non2xx,
      errors: result.errors,
      cpuMsPerRequest: Number(((after - before) / requests).toFixed(4)),
    };
  } finally {
    child.kill();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const rounds: RoundResult[] = [];
  for (let index = 0; index < ROUNDS; index += 1) {
    // Alternating order (ABBA): neither adapter always runs on a warmer or a quieter machine.
    for (const adapter of index % 2 === 0 ? ADAPTERS : [...ADAPTERS].reverse()) {
      const result = await round(adapter);
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${adapter}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      rounds.push(result);
      console.error(JSON.stringify(result));
    }
  }
  const cpu = (adapter: Adapter) => rounds.filter((result) => result.adapter === adapter).map((result) => result.cpuMsPerRequest);
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    otherRoutes: OTHER_ROUTES,
    connections: CONNECTIONS,
    secondsPerRound: SECONDS,
    cpuMsPerRequestMedian: { express: median(cpu('express')), fastify: median(cpu('fastify')) },
    fastifyOverExpress: Number((median(cpu('fastify')) / median(cpu('express'))).toFixed(3)),
    rounds,
    loadAverage: (await import('node:os')).loadavg(),
  };
  mkdirSync(join('bench', 'start-path'), { recursive: true });
  writeFileSync(join('bench', 'start-path', 'http-adapter-last-run.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify(summary, null, 2));
}

const serving = process.env.BENCH_SERVE as Adapter | undefined;
if (serving) await serve(serving);
else await main();
