import { ApiError } from './api-error';

type TokenSource = () => Promise<string | null>;

let tokenSource: TokenSource = async () => null;
let onUnauthorized: () => void = () => undefined;

/** Wired once by the auth layer: where tokens come from and what a 401 does (back to sign-in). */
export function configureHttp(options: { token: TokenSource; unauthorized: () => void }): void {
  tokenSource = options.token;
  onUnauthorized = options.unauthorized;
}

export async function authorizedHeaders(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const token = await tokenSource();
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

/** Every API call: bearer token, JSON in and out, the gateway's error message on failure. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers = await authorizedHeaders(init.body === undefined ? {} : { 'content-type': 'application/json' });
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (response.status === 401) onUnauthorized();
  if (!response.ok) throw await ApiError.fromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * A file the gateway sends as an attachment, fetched with the bearer token (a plain link cannot carry it)
 * and handed to the browser's download under the name the gateway gave (Content-Disposition).
 */
export async function download(path: string): Promise<string> {
  const response = await fetch(path, { headers: await authorizedHeaders() });
  if (response.status === 401) onUnauthorized();
  if (!response.ok) throw await ApiError.fromResponse(response);
  const fileName = attachmentFileName(response.headers.get('content-disposition')) ?? 'download';
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
  } finally {
    // After the click has handed the blob to the download; revoking at once can cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return fileName;
}

/** The file name of `attachment; filename="…"; filename*=UTF-8''…` (the UTF-8 form wins). */
export function attachmentFileName(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // a malformed encoding: fall back to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1];
}

/** `?a=1&b=2` from the defined entries only. */
export function queryString(parameters: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
