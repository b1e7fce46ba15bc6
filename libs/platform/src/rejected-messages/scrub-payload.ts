const SECRET_KEY = /token|secret|password|authorization|assertion|credential|cookie/i;
const JWT_LIKE = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g;
const REDACTED = '[redacted]';
const MAX_BYTES = 10_000;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes of a rejected payload, safe to keep: values under secret-looking keys and anything that looks
 * like a JWT are redacted, and the result is cut to 10,000 bytes. Whatever the payload holds (NUL bytes,
 * bytes that are no UTF-8) is kept as it came, apart from what was redacted: the column is `bytea`.
 */
export function scrubPayload(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    // No UTF-8: latin1 maps each byte to one character and back, so only the redacted runs change.
    return Buffer.from(bytes.toString('latin1').replace(JWT_LIKE, REDACTED), 'latin1').subarray(0, MAX_BYTES);
  }
  let scrubbed: string;
  try {
    scrubbed = JSON.stringify(redact(JSON.parse(text)));
  } catch {
    scrubbed = text; // not JSON, or nested too deep to walk: the JWT pattern still applies
  }
  return Buffer.from(scrubbed.replace(JWT_LIKE, REDACTED), 'utf8').subarray(0, MAX_BYTES);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, SECRET_KEY.test(key) ? REDACTED : redact(entry)]),
    );
  }
  return value;
}
