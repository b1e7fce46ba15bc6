// Every app validates its configuration at start: a missing or malformed variable stops it with a
// message naming the variable (and never echoes values, which may be secrets).
import { spawnSync } from 'node:child_process';

const apps = ['gateway', 'run-service', 'capture-worker', 'restore-worker', 'notifier'];

function boot(app: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [`dist/apps/${app}/src/main.js`], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('configuration is validated at boot', () => {
  it.each(apps)('%s refuses to start without DATABASE_URL, naming it', (app) => {
    const { status, output } = boot(app, { NATS_URL: 'nats://127.0.0.1:4222', AUTH_DEV_SIGNING_KEY: 'x'.repeat(40) });
    expect(status).toBe(78);
    expect(output).toContain('DATABASE_URL');
  });

  it.each(apps)('%s refuses a malformed NATS_URL and PORT, naming both, without echoing values', (app) => {
    const { status, output } = boot(app, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
      NATS_URL: 'http://secret-value@example',
      PORT: 'eighty',
      AUTH_DEV_SIGNING_KEY: 'x'.repeat(40),
    });
    expect(status).toBe(78);
    expect(output).toContain('NATS_URL');
    expect(output).toContain('PORT');
    expect(output).not.toContain('secret-value');
  });

  it.each(apps)('%s refuses NATS_PASSWORD without NATS_USER, naming it, without echoing the password', (app) => {
    const { status, output } = boot(app, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
      NATS_PASSWORD: 'nats-password-never-echoed',
      AUTH_DEV_SIGNING_KEY: 'x'.repeat(40),
    });
    expect(status).toBe(78);
    expect(output).toContain('NATS_USER');
    expect(output).not.toContain('nats-password-never-echoed');
  });

  // Checked in runService, once for every app, after the app's own variables (these two need no others).
  it.each(['run-service', 'notifier'])('%s refuses OpenTelemetry settings it cannot honour (gRPC, an unknown exporter), naming them', (app) => {
    const { status, output } = boot(app, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused',
      AUTH_DEV_SIGNING_KEY: 'x'.repeat(40),
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_EXPORTER: 'zipkin',
    });
    expect(status).toBe(78);
    expect(output).toContain('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
    expect(output).toContain('OTEL_TRACES_EXPORTER');
  });
});
