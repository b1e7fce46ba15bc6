import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { ConfigError, loadConfig } from '@policyvault/platform';
import { GraphWorkerConfig, graphCredentials, needsRedirectedAuthority } from './graph-worker.config.js';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/policyvault', PORT: '3002' };

describe('GraphWorkerConfig', () => {
  it('requires the app registration for real Graph, naming the variables without echoing values', () => {
    const attempt = () => loadConfig(GraphWorkerConfig, { ...base, GRAPH_BASE_URL: 'https://graph.microsoft.com', GRAPH_CLIENT_SECRET: '' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/GRAPH_CLIENT_ID[\s\S]*GRAPH_CLIENT_SECRET/);
    const config = loadConfig(GraphWorkerConfig, { ...base, GRAPH_CLIENT_ID: 'app', GRAPH_CLIENT_SECRET: 'hush-hush' });
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
});
