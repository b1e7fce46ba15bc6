import type { INetworkModule } from '@azure/msal-node';
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { createRedirectingNetworkClient, GraphClientFactory, type GraphClientFactoryOptions } from '@policyvault/graph';
import type { RunningGraphEmulator } from '../src/index.js';

/** MSAL network module that reaches the emulator and remembers every token it was given (for leak checks). */
export function recordingNetworkClient(emulatorUrl: string, issuedTokens: string[]): INetworkModule {
  const inner = createRedirectingNetworkClient(emulatorUrl);
  return {
    sendGetRequestAsync: (url, options, timeout) => inner.sendGetRequestAsync(url, options, timeout),
    sendPostRequestAsync: async (url, options) => {
      const response = await inner.sendPostRequestAsync<{ access_token?: string }>(url, options);
      if (response.body?.access_token) issuedTokens.push(response.body.access_token);
      return response as never;
    },
  };
}

export function factoryFor(emulator: RunningGraphEmulator, options: Partial<GraphClientFactoryOptions> = {}, issuedTokens: string[] = []): GraphClientFactory {
  return new GraphClientFactory({
    credentials: { ...DEMO_GRAPH_APP },
    graphBaseUrl: emulator.url,
    networkClient: recordingNetworkClient(emulator.url, issuedTokens),
    requestTimeoutMs: 2000,
    backoff: { baseDelayMs: 20, maxDelayMs: 200 },
    pacing: false,
    ...options,
  });
}

let counter = 0;
/** A fresh, empty (or seeded) tenant per test so journals and budgets never mix. */
export function newTenantId(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${String(process.pid).padStart(6, '0')}${String(counter).padStart(6, '0')}`;
}
