import type { INetworkModule } from '@azure/msal-node';
import { SafeErrorCode } from '@policyvault/contracts';
import { MsalTokenProvider } from './token-provider.js';

/** An authority answering every token request with this status and body. */
const authorityAnswering = (status: number, body: Record<string, unknown>): INetworkModule => ({
  sendGetRequestAsync: async () => ({ headers: {}, body: {} as never, status: 404 }),
  sendPostRequestAsync: async () => ({ headers: {}, body: body as never, status }),
});

const providerFor = (networkClient: INetworkModule) =>
  new MsalTokenProvider({ tenantId: 'contoso.onmicrosoft.com', credentials: { clientId: 'app', clientSecret: 'secret' }, authorityHost: 'https://login.microsoftonline.com', networkClient });

describe('MsalTokenProvider errors', () => {
  it('a refusal keeps only its AADSTS code and is not worth retrying', async () => {
    const refused = providerFor(
      authorityAnswering(401, { error: 'invalid_client', error_description: 'AADSTS7000229: The client application app is missing service principal in the tenant t.', error_codes: [7000229] }),
    );
    await expect(refused.getToken()).rejects.toMatchObject({ code: SafeErrorCode.GraphAuthFailed, graphErrorCode: 'AADSTS7000229', transient: false });
  });

  it('the authority failing (5xx, temporarily_unavailable) is transient', async () => {
    const failing = providerFor(authorityAnswering(503, { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.', error_codes: [90033] }));
    const error = await failing.getToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SafeErrorCode.GraphUnavailable, graphErrorCode: 'AADSTS90033', transient: true });
    expect(JSON.stringify(error)).not.toContain('secret');
  });
});
