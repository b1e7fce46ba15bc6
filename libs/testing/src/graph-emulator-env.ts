import { DEMO_GRAPH_APP } from '@policyvault/contracts';

/** Environment pointing a Graph-calling worker at an emulator (its demo app registration). */
export function graphEmulatorEnv(emulatorUrl: string): Record<string, string> {
  return {
    GRAPH_BASE_URL: emulatorUrl,
    GRAPH_AUTHORITY_HOST: emulatorUrl,
    GRAPH_CLIENT_ID: DEMO_GRAPH_APP.clientId,
    GRAPH_CLIENT_SECRET: DEMO_GRAPH_APP.clientSecret,
  };
}
