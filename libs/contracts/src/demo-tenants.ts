// The demo customers shared by the gateway's seed and the Graph emulator's seed, so that a newcomer's
// `npm start` has tenants whose Graph (the emulator) already holds policies.
export interface DemoTenant {
  id: string;
  displayName: string;
  /** The customer's Entra directory (Graph tenant) id. */
  directoryId: string;
  /** A domain verified in that directory (the Graph emulator resolves it through OpenID discovery). */
  verifiedDomain: string;
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    id: '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01',
    displayName: 'Contoso',
    directoryId: '7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e601',
    verifiedDomain: 'contoso.onmicrosoft.com',
  },
  {
    id: '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d02',
    displayName: 'Fabrikam',
    directoryId: '7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e602',
    verifiedDomain: 'fabrikam.onmicrosoft.com',
  },
];

/** The MSP's development app registration that the emulator accepts (never a real credential). */
export const DEMO_GRAPH_APP = {
  clientId: '5e0c7e21-1f3b-4a0e-b0d5-00000000d3e0',
  clientSecret: 'local-emulator-secret-not-for-production',
} as const;
