const SECRET_KEY = /token|secret|password|authorization|assertion|credential|cookie/i;
const JWT_LIKE = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const MAX_LENGTH = 10_000;

/**
 * The text of a rejected payload, safe to keep: values under secret-looking keys and anything that
 * looks like a JWT are redacted, and the result is cut to 10,000 characters.
 */
export function scrubPayload(data: Uint8Array | string): string {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  let scrubbed: string;
  try {
    scrubbed = JSON.stringify(redact(JSON.parse(text)));
  } catch {
    scrubbed = text;
  }
  return scrubbed.replace(JWT_LIKE, '[redacted]').slice(0, MAX_LENGTH);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redact(entry)]),
    );
  }
  return value;
}
