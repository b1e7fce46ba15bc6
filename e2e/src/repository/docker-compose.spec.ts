// docker-compose.yml cannot be run here (no Docker engine), so it is checked with a real YAML parser
// against what the stack needs: every app, its entry point, healthchecks and start-up order.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { natsPasswordVariable, type NatsServiceUser } from '@policyvault/contracts';

interface ComposeService {
  image?: string;
  build?: unknown;
  volumes?: string[];
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const apps = readdirSync('apps').filter((name) => existsSync(`apps/${name}/src/main.ts`));

describe('docker-compose.yml', () => {
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
      expect(service.environment?.NATS_URL).toBe('nats://nats:4222');
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

  it('keeps secrets out of the file: Graph credentials come from the environment', () => {
    const text = readFileSync('docker-compose.yml', 'utf8');
    expect(text).toContain('GRAPH_CLIENT_SECRET: ${GRAPH_CLIENT_SECRET:-}');
    expect(existsSync('Dockerfile')).toBe(true);
  });
});
