import { api } from '../api/http';

/** GET /api/public-settings: how this deployment signs people in (no secrets: public by design). */
export interface PublicSettings {
  authMode: 'development' | 'oidc';
  entra: { clientId: string; authority: string; scopes: string[] } | null;
}

export interface DevelopmentUser {
  email: string;
  displayName: string;
  memberships: { tenantName: string; role: string }[];
}

export const fetchPublicSettings = () => api<PublicSettings>('/api/public-settings');
export const fetchDevelopmentUsers = () => api<{ items: DevelopmentUser[] }>('/api/dev/users');
export const requestDevelopmentToken = (email: string) =>
  api<{ accessToken: string; expiresIn: number }>('/api/dev/token', { method: 'POST', body: { email } });
