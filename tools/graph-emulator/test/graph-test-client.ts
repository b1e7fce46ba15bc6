import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import type { RunningGraphEmulator } from '../src/index.js';

export interface GraphResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

/** A bare Graph caller for the emulator's own tests (no PolicyVault client: the emulator must not need it). */
export class GraphTestClient {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly emulator: RunningGraphEmulator) {}

  async token(tenant: string): Promise<string> {
    const cached = this.tokens.get(tenant);
    if (cached) return cached;
    const response = await fetch(`${this.emulator.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_GRAPH_APP.clientId, client_secret: DEMO_GRAPH_APP.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
    });
    const token = String(((await response.json()) as { access_token?: string }).access_token);
    this.tokens.set(tenant, token);
    return token;
  }

  async call(tenant: string, method: string, path: string, body?: unknown): Promise<GraphResponse> {
    const response = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await this.token(tenant)}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  /** The body of a 2xx answer; anything else fails the test with Graph's message. */
  async ok<T = Record<string, unknown>>(tenant: string, method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.call(tenant, method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as T;
  }

  async list<T = Record<string, unknown>>(tenant: string, path: string): Promise<T[]> {
    return (await this.ok<{ value: T[] }>(tenant, 'GET', path)).value;
  }
}

/** Graph's error code and message of a refused request. */
export function errorOf(response: GraphResponse): { code: string; message: string } {
  return (response.body as { error: { code: string; message: string } }).error;
}
