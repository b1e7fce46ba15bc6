import { ConfigError, loadConfig } from '@policyvault/platform';
import { NotifierConfig } from './notifier.config.js';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/policyvault' };

describe('NotifierConfig', () => {
  it('defaults the UI address and the consumer concurrency', () => {
    expect(loadConfig(NotifierConfig, base)).toMatchObject({ PORT: 3004, UI_BASE_URL: 'http://localhost:3000', RUN_STATUS_CONCURRENCY: 64 });
  });

  it('stops on a UI_BASE_URL that is not an http(s) URL, naming the variable', () => {
    for (const UI_BASE_URL of ['policyvault.example.com', 'ftp://ui.example.com', 'javascript:alert(1)']) {
      expect(() => loadConfig(NotifierConfig, { ...base, UI_BASE_URL })).toThrow(/UI_BASE_URL/);
    }
    expect(() => loadConfig(NotifierConfig, { ...base, RUN_STATUS_CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(loadConfig(NotifierConfig, { ...base, UI_BASE_URL: 'https://pv.example.com' }).UI_BASE_URL).toBe('https://pv.example.com');
  });
});
