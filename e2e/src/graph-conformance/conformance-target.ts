// Where the conformance suite runs: always against the bundled Graph emulator, and also against a real
// Intune tenant when GRAPH_CONFORMANCE_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are set.
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { GraphClientFactory, createRedirectingNetworkClient, type GraphClient } from '@policyvault/graph';
import { graphEmulatorEnv } from '@policyvault/testing';

export interface ConformanceTarget {
  name: string;
  /** The Entra directory the objects live in. */
  directoryId: string;
  /** Graph settings for the workers (GRAPH_*), pointing at this target. */
  stackEnv: Record<string, string>;
  /** Sets the stage and reads results the way an administrator would: plain Graph calls. */
  graph: GraphClient;
  /** Only the emulator has a journal of every request: the exact-request assertions need it. */
  emulator?: RunningGraphEmulator;
  close(): Promise<void>;
}

/** The real tenant's settings, or undefined when any of them is absent (the only allowed skip). */
export function realTenantSettings(): { directoryId: string; clientId: string; clientSecret: string } | undefined {
  const directoryId = process.env.GRAPH_CONFORMANCE_TENANT_ID;
  const clientId = process.env.GRAPH_CLIENT_ID;
  const clientSecret = process.env.GRAPH_CLIENT_SECRET;
  if (!directoryId || !clientId || !clientSecret) return undefined;
  return { directoryId, clientId, clientSecret };
}

function setupClient(factory: GraphClientFactory, directoryId: string): GraphClient {
  return factory.forTenant(directoryId);
}

export async function emulatorTarget(directoryId: string): Promise<ConformanceTarget> {
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
  // An empty tenant except what Intune and Entra always hold (built-ins, groups, templates, definitions).
  emulator.admin.resetTenant(directoryId, { displayName: 'Conformance', seed: { policiesPerType: 0 } });
  const factory = new GraphClientFactory({
    credentials: { ...DEMO_GRAPH_APP },
    graphBaseUrl: emulator.url,
    networkClient: createRedirectingNetworkClient(emulator.url),
    pacing: false,
  });
  return {
    name: 'the Graph emulator',
    directoryId,
    stackEnv: graphEmulatorEnv(emulator.url),
    graph: setupClient(factory, directoryId),
    emulator,
    close: async () => {
      factory.close();
      await emulator.close();
    },
  };
}

export function realTenantTarget(settings: NonNullable<ReturnType<typeof realTenantSettings>>): ConformanceTarget {
  const factory = new GraphClientFactory({ credentials: { clientId: settings.clientId, clientSecret: settings.clientSecret } });
  return {
    name: `tenant ${settings.directoryId}`,
    directoryId: settings.directoryId,
    stackEnv: {
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      GRAPH_CLIENT_ID: settings.clientId,
      GRAPH_CLIENT_SECRET: settings.clientSecret,
      // A real Graph URL requires real keys: one generated for this run only.
      SECRET_ENCRYPTION_KEYS: `conformance:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`,
      SECRET_ENCRYPTION_ACTIVE_KEY: 'conformance',
    },
    graph: setupClient(factory, settings.directoryId),
    close: async () => factory.close(),
  };
}
