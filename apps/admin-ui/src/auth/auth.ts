import { configureHttp } from '../api/http';
import { completeEntraSignIn, entraAccessToken, entraSignOut } from './entra';
import { fetchPublicSettings } from './public-settings';
import { clearSession, readSession } from './session';

export function signInPath(returnTo: string): string {
  return returnTo && returnTo !== '/' ? `/sign-in?redirect=${encodeURIComponent(returnTo)}` : '/sign-in';
}

/** Before the first render: wires the API client's tokens and its answer to a 401 (back to sign-in). */
export async function startAuth(): Promise<void> {
  configureHttp({
    token: async () => {
      const session = readSession();
      if (!session) return null;
      return session.mode === 'development' ? (session.token ?? null) : entraAccessToken();
    },
    unauthorized: () => {
      clearSession();
      if (window.location.pathname !== '/sign-in') window.location.assign(signInPath(window.location.pathname + window.location.search));
    },
  });
  const session = readSession();
  if (session?.mode === 'entra') {
    const settings = await fetchPublicSettings().catch(() => null);
    if (settings?.entra) await completeEntraSignIn(settings.entra);
  }
}

export async function signOut(): Promise<void> {
  const session = readSession();
  clearSession();
  if (session?.mode === 'entra') await entraSignOut();
  window.location.assign('/sign-in');
}
