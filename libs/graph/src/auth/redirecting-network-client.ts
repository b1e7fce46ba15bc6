import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * MSAL only talks to https authorities. For the Graph emulator (plain http on localhost) this network
 * module keeps MSAL's https authority and sends its requests to `targetBaseUrl` instead.
 */
export function createRedirectingNetworkClient(targetBaseUrl: string, authorityHost = 'https://login.microsoftonline.com'): INetworkModule {
  const from = authorityHost.replace(/\/+$/, '');
  const to = targetBaseUrl.replace(/\/+$/, '');
  const rewrite = (url: string) => (url.startsWith(from) ? to + url.slice(from.length) : url);

  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const response = await fetch(rewrite(url), {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: AbortSignal.timeout(timeout ?? 30_000),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    return { headers, body: (await response.json()) as T, status: response.status };
  }

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
