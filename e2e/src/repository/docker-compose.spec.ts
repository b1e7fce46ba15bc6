// docker-compose.yml cannot be run here (no Docker engine), so it is checked with a real YAML parser
// against the Compose Specification's JSON schema (as `docker compose config` would) and against what the
// stack needs: every app, its entry point, healthchecks, start-up order, the `cluster` profile, scaling.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { natsPasswordVariable, type NatsServiceUser } from '@policyvault/contracts';

interface ComposeService {
  image?: string;
  container_name?: string;
  ports?: string[];
  build?: unknown;
  volumes?: string[];
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
/**
 * The Compose Specification's schema, as the docker-compose linter dclint ships it (compose-spec/compose-spec).
 * It declares draft-07 by an address Ajv does not know (without the `#`); Ajv's default is draft-07.
 */
const { $schema: _draft07, ...composeSchema } = JSON.parse(readFileSync('node_modules/dclint/schemas/compose.schema.json', 'utf8')) as Record<string, unknown>;
const CLUSTER_NODES = ['nats-1', 'nats-2', 'nats-3'];
const WORKERS = ['capture-worker', 'restore-worker'];
const apps = readdirSync('apps').filter((name) => existsSync(`apps/${name}/src/main.ts`));

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSchema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // The schema is strict enough to notice a misspelt field.
    expect(validate({ services: { nats: { ...compose.services.nats, helthcheck: {} } } })).toBe(false);
  });

  it('runs every app, plus Postgres, NATS with JetStream and the Graph emulator', () => {
    expect(apps.sort()).toEqual(['capture-worker', 'gateway', 'notifier', 'restore-worker', 'run-service']);
    for (const name of [...apps, 'postgres', 'nats', 'graph-emulator', 'migrate']) {
      expect(compose.services[name]).toBeDefined();
    }
    expect(compose.services.nats.command).toEqual(['-c', '/etc/nats/nats-server.conf']);
    expect(compose.services.nats.volumes).toContain('./deploy/nats:/etc/nats:ro');
    expect(readFileSync('deploy/nats/nats-server.conf', 'utf8')).toMatch(/jetstream \{\s*store_dir: "\/data"/);
    expect(readFileSync('deploy/nats/nats-server.conf', 'utf8')).toContain('include ./authorization.conf');
    // The development NATS without users is opt-in (a profile), never part of the stack.
    expect(compose.services['nats-dev']).toMatchObject({ profiles: ['dev'], command: expect.arrayContaining(['-js']) });
  });

  it('connects each app as its own NATS user, with the password the server reads for that user', () => {
    for (const app of apps) {
      const variable = natsPasswordVariable(app as NatsServiceUser);
      expect(compose.services[app].environment?.NATS_USER).toBe(app);
      expect(compose.services[app].environment?.NATS_PASSWORD).toBe(`\${${variable}:-${app}-local-only}`);
      expect(compose.services.nats.environment?.[variable]).toBe(`\${${variable}:-${app}-local-only}`);
    }
  });

  it('starts each app from its own built entry point, with a healthcheck', () => {
    for (const app of apps) {
      const service = compose.services[app];
      expect(service.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
      expect(service.healthcheck?.test.join(' ')).toContain('/health/ready');
      expect(service.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(service.environment?.NATS_URL).toBe('${NATS_URL:-nats://nats:4222}');
      expect(service.environment?.NATS_STREAM_REPLICAS).toBe('${NATS_STREAM_REPLICAS:-1}');
    }
    expect(compose.services['graph-emulator'].command).toEqual(['node', 'dist/tools/graph-emulator/src/main.js']);
    expect(existsSync('tools/graph-emulator/src/main.ts')).toBe(true);
  });

  it('orders start-up: migrations after Postgres is healthy, apps after migrations and NATS', () => {
    expect(compose.services.migrate.depends_on?.postgres.condition).toBe('service_healthy');
    for (const app of apps) {
      expect(compose.services[app].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        nats: { condition: 'service_healthy' },
      });
    }
    for (const [name, service] of Object.entries(compose.services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in compose.services }).toEqual({ name, dependency, exists: true });
      }
    }
  });

  it('has a `cluster` profile: three JetStream nodes routed to each other, with the same users', () => {
    for (const node of CLUSTER_NODES) {
      const service = compose.services[node];
      expect(service.profiles).toEqual(['cluster']);
      expect(service.volumes).toEqual([`${node}-data:/data`, './deploy/nats:/etc/nats:ro']);
      expect(service.environment).toEqual(compose.services.nats.environment);
      const flag = (name: string) => service.command?.[service.command.indexOf(name) + 1];
      expect(service.command?.slice(0, 2)).toEqual(['-c', '/etc/nats/nats-server.conf']);
      expect(flag('--name')).toBe(node);
      expect(flag('--cluster_name')).toBe('policyvault');
      expect(flag('--cluster')).toBe('nats://0.0.0.0:6222');
      expect(flag('--routes')?.split(',')).toEqual(CLUSTER_NODES.map((other) => `nats://${other}:6222`));
      expect(service.healthcheck?.test.join(' ')).toContain('/healthz?js-enabled-only=true');
    }
    // The services wait for the cluster when the profile is on, and do not need it otherwise.
    for (const app of apps) {
      for (const node of CLUSTER_NODES) expect(compose.services[app].depends_on?.[node]).toEqual({ condition: 'service_healthy', required: false });
    }
  });

  it('scales the workers (`--scale capture-worker=4`): no fixed container name or host port', () => {
    for (const worker of WORKERS) {
      expect(compose.services[worker].container_name).toBeUndefined();
      expect(compose.services[worker].ports).toBeUndefined();
    }
    for (const [name, service] of Object.entries(compose.services)) expect({ name, container_name: service.container_name }).toEqual({ name, container_name: undefined });
  });

  it('runs the workers under a V8 heap limit, as `npm start` does (BENCHMARKS.md: fleet scale, fleet drift)', () => {
    const start = readFileSync('tools/scripts/start.mjs', 'utf8');
    for (const worker of WORKERS) {
      expect({ worker, NODE_OPTIONS: compose.services[worker].environment?.NODE_OPTIONS }).toEqual({ worker, NODE_OPTIONS: '--max-old-space-size=192' });
      expect(start).toMatch(new RegExp(`name: '${worker}'.*NODE_OPTIONS: '--max-old-space-size=192'`));
    }
  });

  it('keeps secrets out of the file: Graph credentials come from the environment', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    expect(text).toContain('GRAPH_CLIENT_SECRET: ${GRAPH_CLIENT_SECRET:-}');
    expect(existsSync('Dockerfile')).toBe(true);
  });
});
