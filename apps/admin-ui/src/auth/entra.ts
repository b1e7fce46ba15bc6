// Microsoft Entra ID sign-in: authorization code flow with PKCE through MSAL (a redirect, no client secret).
// Loaded on demand, so development sign-in and every page after sign-in never download MSAL up front.
import type { AccountInfo, PublicClientApplication } from '@azure/msal-browser';
import type { PublicSettings } from './public-settings';

type EntraSettings = NonNullable<PublicSettings['entra']>;

let client: Promise<{ app: PublicClientApplication; settings: EntraSettings }> | undefined;

function entraClient(settings: EntraSettings) {
  client ??= import('@azure/msal-browser').then(async ({ PublicClientApplication }) => {
    const app = new PublicClientApplication({
      auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: `${window.location.origin}/sign-in` },
      cache: { cacheLocation: 'sessionStorage' },
    });
    await app.initialize();
    return { app, settings };
  });
  return client;
}

/** Completes a redirect back from Entra, if this page load is one; the signed-in account otherwise. */
export async function completeEntraSignIn(settings: EntraSettings): Promise<AccountInfo | null> {
  const { app } = await entraClient(settings);
  const result = await app.handleRedirectPromise();
  const account = result?.account ?? app.getAllAccounts()[0] ?? null;
  if (account) app.setActiveAccount(account);
  return account;
}

export async function startEntraSignIn(settings: EntraSettings, returnTo: string): Promise<void> {
  const { app } = await entraClient(settings);
  await app.loginRedirect({ scopes: settings.scopes, state: returnTo });
}

/** A current access token for the gateway; a redirect when Entra wants the user back (null meanwhile). */
export async function entraAccessToken(): Promise<string | null> {
  if (!client) return null;
  const { app, settings } = await client;
  const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
  if (!account) return null;
  try {
    return (await app.acquireTokenSilent({ scopes: settings.scopes, account })).accessToken;
  } catch {
    await app.acquireTokenRedirect({ scopes: settings.scopes, account });
    return null;
  }
}

export async function entraSignOut(): Promise<void> {
  if (!client) return;
  const { app } = await client;
  await app.clearCache();
}
