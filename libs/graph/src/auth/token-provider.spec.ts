import { jest } from '@jest/globals';
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

describe('MsalTokenProvider tokens', () => {
  /** An authority issuing numbered tokens valid for `expiresIn` seconds, counting the requests. */
  const issuing = (expiresIn: number) => {
    const issued = { count: 0 };
    const networkClient: INetworkModule = {
      sendGetRequestAsync: async () => ({ headers: {}, body: {} as never, status: 404 }),
      sendPostRequestAsync: async () => {
        issued.count += 1;
        return { headers: {}, body: { token_type: 'Bearer', expires_in: expiresIn, access_token: `token-${issued.count}` } as never, status: 200 };
      },
    };
    return { issued, provider: providerFor(networkClient) };
  };

  it('keeps the token it got until it is due for renewal, and gets a new one when forced (Graph rejected it)', async () => {
    const { issued, provider } = issuing(3600);
    const acquire = jest.spyOn((provider as unknown as { application: { acquireTokenByClientCredential: () => Promise<unknown> } }).application, 'acquireTokenByClientCredential');
    expect(await provider.getToken()).toBe('token-1');
    expect(await Promise.all([provider.getToken(), provider.getToken()])).toEqual(['token-1', 'token-1']);
    // Asked MSAL once: the other calls were answered from the kept token.
    expect(acquire).toHaveBeenCalledTimes(1);
    expect(await provider.getToken(true)).toBe('token-2');
    expect(await provider.getToken()).toBe('token-2');
    expect(issued.count).toBe(2);
  });

  it('does not keep a token that expires within the renewal margin', async () => {
    const { provider } = issuing(120);
    const acquire = jest.spyOn((provider as unknown as { application: { acquireTokenByClientCredential: () => Promise<unknown> } }).application, 'acquireTokenByClientCredential');
    await provider.getToken();
    await provider.getToken();
    expect(acquire).toHaveBeenCalledTimes(2);
  });
});
