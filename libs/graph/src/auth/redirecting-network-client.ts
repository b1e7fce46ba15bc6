import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request } from 'undici';

/**
 * MSAL only talks to https authorities. For the Graph emulator (plain http on localhost) this network
 * module keeps MSAL's https authority and sends its requests to `targetBaseUrl` instead, over undici's
 * `request` as Graph's own requests go (`http/graph-http.ts`: a third of `fetch`'s CPU per call; a worker
 * asks for a token once per tenant and hour, so once per run of a nightly fleet backup).
 */
export function createRedirectingNetworkClient(targetBaseUrl: string, authorityHost = 'https://login.microsoftonline.com'): INetworkModule {
  const from = authorityHost.replace(/\/+$/, '');
  const to = targetBaseUrl.replace(/\/+$/, '');
  const rewrite = (url: string) => (url.startsWith(from) ? to + url.slice(from.length) : url);

  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const response = await request(rewrite(url), {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: AbortSignal.timeout(timeout ?? 30_000),
    });
    // As `fetch`'s Headers give them: lower-case names, a repeated header's values joined.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { headers, body: (await response.body.json()) as T, status: response.statusCode };
  }

  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
