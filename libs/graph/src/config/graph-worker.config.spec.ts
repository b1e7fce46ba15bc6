import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { randomBytes } from 'node:crypto';
import { ConfigError, DEVELOPMENT_SECRET_KEY_ID, loadConfig } from '@policyvault/platform';
import { GraphWorkerConfig, createSecretCipherFromConfig, graphCredentials, needsRedirectedAuthority } from './graph-worker.config.js';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/policyvault', PORT: '3002' };
const KEY_2024 = randomBytes(32).toString('base64');
const KEY_2025 = randomBytes(32).toString('base64');
const secretKeys = { SECRET_ENCRYPTION_KEYS: `k2024:${KEY_2024},k2025:${KEY_2025}`, SECRET_ENCRYPTION_ACTIVE_KEY: 'k2025' };
const realGraph = { ...base, GRAPH_CLIENT_ID: 'app', GRAPH_CLIENT_SECRET: 'hush-hush' };
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(GraphWorkerConfig, env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('GraphWorkerConfig', () => {
  it('requires the app registration for real Graph, naming the variables without echoing values', () => {
    const attempt = () => loadConfig(GraphWorkerConfig, { ...base, GRAPH_BASE_URL: 'https://graph.microsoft.com', GRAPH_CLIENT_SECRET: '' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/GRAPH_CLIENT_ID[\s\S]*GRAPH_CLIENT_SECRET/);
    const config = loadConfig(GraphWorkerConfig, { ...realGraph, ...secretKeys });
    expect(graphCredentials(config)).toEqual({ clientId: 'app', clientSecret: 'hush-hush' });
    expect(() => loadConfig(GraphWorkerConfig, { ...base, GRAPH_BASE_URL: 'ftp://x', GRAPH_CLIENT_ID: 'a', GRAPH_CLIENT_SECRET: 'hush-hush' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hush-hush') }),
    );
  });

  it("uses the emulator's demo app against a plain-http Graph when none is configured (npm start, compose)", () => {
    const config = loadConfig(GraphWorkerConfig, { ...base, GRAPH_BASE_URL: 'http://graph-emulator:3100', GRAPH_AUTHORITY_HOST: 'http://graph-emulator:3100', GRAPH_CLIENT_SECRET: '' });
    expect(graphCredentials(config)).toEqual({ clientId: DEMO_GRAPH_APP.clientId, clientSecret: DEMO_GRAPH_APP.clientSecret });
    expect(needsRedirectedAuthority(config.GRAPH_AUTHORITY_HOST)).toBe(true);
    expect(needsRedirectedAuthority('https://login.microsoftonline.com')).toBe(false);
  });

  it('requires secret encryption keys for real Graph (production), naming the variables without echoing keys', () => {
    expect(problemsOf(realGraph)).toEqual([expect.stringMatching(/^SECRET_ENCRYPTION_KEYS:/), expect.stringMatching(/^SECRET_ENCRYPTION_ACTIVE_KEY:/)]);
    const short = randomBytes(16).toString('base64');
    const malformed = problemsOf({ ...realGraph, SECRET_ENCRYPTION_KEYS: `k1:${short}`, SECRET_ENCRYPTION_ACTIVE_KEY: 'k1' });
    expect(malformed).toEqual([expect.stringMatching(/^SECRET_ENCRYPTION_KEYS: keyId:base64 of 32 bytes/)]);
    expect(malformed.join()).not.toContain(short);
    expect(problemsOf({ ...realGraph, ...secretKeys, SECRET_ENCRYPTION_ACTIVE_KEY: 'k2026' })).toEqual([expect.stringMatching(/^SECRET_ENCRYPTION_ACTIVE_KEY: one of the key ids/)]);
    const cipher = createSecretCipherFromConfig(loadConfig(GraphWorkerConfig, { ...realGraph, ...secretKeys }));
    expect(cipher.activeKeyId).toBe('k2025');
    expect(cipher.hasKey('k2024')).toBe(true);
  });

  it('uses the development key against the emulator when none is configured (npm start, compose, tests), the configured keys when set', () => {
    const emulator = { ...base, GRAPH_BASE_URL: 'http://127.0.0.1:3100', SECRET_ENCRYPTION_KEYS: '' };
    expect(createSecretCipherFromConfig(loadConfig(GraphWorkerConfig, emulator)).activeKeyId).toBe(DEVELOPMENT_SECRET_KEY_ID);
    expect(createSecretCipherFromConfig(loadConfig(GraphWorkerConfig, { ...emulator, ...secretKeys })).usesDevelopmentKey).toBe(false);
    expect(problemsOf({ ...emulator, SECRET_ENCRYPTION_ACTIVE_KEY: 'k1' })).toEqual([expect.stringMatching(/^SECRET_ENCRYPTION_ACTIVE_KEY:/)]);
  });

  it("takes the breaker's volume threshold from GRAPH_BREAKER_VOLUME_THRESHOLD (default 10), refusing one below 1", () => {
    const emulator = { ...base, GRAPH_BASE_URL: 'http://127.0.0.1:3100' };
    expect(loadConfig(GraphWorkerConfig, emulator).GRAPH_BREAKER_VOLUME_THRESHOLD).toBe(10);
    expect(loadConfig(GraphWorkerConfig, { ...emulator, GRAPH_BREAKER_VOLUME_THRESHOLD: '5' }).GRAPH_BREAKER_VOLUME_THRESHOLD).toBe(5);
    expect(problemsOf({ ...emulator, GRAPH_BREAKER_VOLUME_THRESHOLD: '0' })).toEqual([expect.stringMatching(/^GRAPH_BREAKER_VOLUME_THRESHOLD:/)]);
  });
});
