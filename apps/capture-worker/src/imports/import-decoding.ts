import { parse as parseYaml } from 'yaml';
import { unsafeInputProblem } from '@policyvault/platform';

/** What a file of an import holds once read, or why it could not be read (a fixed, safe sentence). */
export type DecodedFile = { ok: true; value: unknown } | { ok: false; reason: string };

export type ImportFileKind = 'json' | 'yaml';

/** The files an import reads as objects: JSON and YAML; every other file (scripts, mobileconfig, readme) is left aside. */
export function importFileKind(path: string): ImportFileKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}

/**
 * Bytes to text the way the tools write them: UTF-8 with or without a BOM (IntuneCD, Graph Explorer,
 * PowerShell 7), UTF-16 LE or BE with a BOM (Windows PowerShell 5.1's `Out-File`, IntuneManagement) or
 * without one (recognised by the zero bytes of the first ASCII character). Undefined when not valid.
 */
export function decodeText(bytes: Buffer): string | undefined {
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, start] = ['utf-16be', 2];
  else if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) encoding = 'utf-16be';
  else if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) encoding = 'utf-16le';
  let body = bytes.subarray(start);
  if (encoding !== 'utf-8' && body.length % 2 !== 0) return undefined;
  if (encoding === 'utf-16be') {
    // Swapped into little-endian: Node's decoder knows UTF-16LE in every ICU build.
    const swapped = Buffer.from(body);
    swapped.swap16();
    body = swapped;
    encoding = 'utf-16le';
  }
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

/** Reads one file's bytes as JSON or YAML, refusing what the rest of PolicyVault refuses (depth, NUL, `__proto__`). */
export function decodeFile(bytes: Buffer, kind: ImportFileKind): DecodedFile {
  const text = decodeText(bytes);
  if (text === undefined) return { ok: false, reason: 'The file is not valid UTF-8 or UTF-16 text.' };
  if (text.trim() === '') return { ok: false, reason: 'The file is empty.' };
  let value: unknown;
  try {
    value = kind === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch {
    return { ok: false, reason: kind === 'json' ? 'The file is not valid JSON.' : 'The file is not valid YAML.' };
  }
  // A Graph export is stored as it is, never built into a class: a `constructor` key in it is data.
  if (unsafeInputProblem(value, 'file', { constructorKeys: 'allowed' }) !== null) return { ok: false, reason: 'The file nests deeper than 64 levels or holds NUL characters, unpaired surrogates or __proto__ keys.' };
  return { ok: true, value };
}
