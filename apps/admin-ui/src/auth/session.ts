// Who is signed in, kept in sessionStorage (gone with the tab; never localStorage). In development the
// gateway's token is kept here; with Entra ID, MSAL keeps its tokens (also in sessionStorage) and hands
// out a fresh access token per call.
export type SignInMode = 'development' | 'entra';

export interface Session {
  mode: SignInMode;
  email: string;
  /** Development only: the gateway-issued bearer token. */
  token?: string;
}

const KEY = 'policyvault.session';

export function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return typeof session.email === 'string' && (session.mode === 'development' || session.mode === 'entra') ? session : null;
  } catch {
    return null;
  }
}

export function writeSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
