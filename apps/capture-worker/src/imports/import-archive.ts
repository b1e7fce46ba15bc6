import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** Limits of an import archive; every one is checked before the first row is written (ImportLimits in the config). */
export interface ImportLimits {
  /** The archive itself (the gateway refuses larger uploads while streaming them in). */
  maxArchiveBytes: number;
  /** Entries (files and folders) in the central directory. */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes of all entries. */
  maxTotalUncompressedBytes: number;
  /** One file's uncompressed size; a larger JSON/YAML file fails its own item unread. */
  maxFileBytes: number;
  /** Uncompressed / compressed size of one entry larger than 1 MiB, and of the whole archive (zip bombs). */
  maxCompressionRatio: number;
  /** Folders above a file (`a/b/c.json` is depth 3). */
  maxDepth: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxArchiveBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
  maxTotalUncompressedBytes: 1024 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxDepth: 16,
};

/** Entries smaller than this are not ratio-checked one by one (tiny JSON files compress well). */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;

/** Why a whole archive is refused: a fixed sentence for the run's error (never bytes of the archive). */
export class ArchiveRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ArchiveRejected';
  }
}

/** One file of an accepted archive, in central-directory order. */
export interface ArchiveFile {
  /** Its path inside the archive, `/`-separated, never absolute, never with `..`. */
  path: string;
  uncompressedSize: number;
}

export interface InspectedArchive {
  files: ArchiveFile[];
  /** Folder entries (not objects). */
  folders: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

/** Iterates a zip's central directory one entry at a time (lazyEntries); yauzl's errors come out of the iterator. */
async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  let pending: { resolve: (entry: Entry | null) => void; reject: (error: Error) => void } | undefined;
  zip.on('entry', (entry: Entry) => pending?.resolve(entry));
  zip.on('end', () => pending?.resolve(null));
  zip.on('error', (error: Error) => pending?.reject(error));
  for (;;) {
    const next = new Promise<Entry | null>((resolve, reject) => (pending = { resolve, reject }));
    zip.readEntry();
    const entry = await next;
    if (!entry) return;
    yield entry;
  }
}

/** A yauzl error as a safe reason (its messages name paths and offsets of the archive: not kept). */
function rejectionOf(error: unknown): ArchiveRejected {
  if (error instanceof ArchiveRejected) return error;
  const message = error instanceof Error ? error.message : '';
  if (/absolute path|invalid relative path/i.test(message)) return new ArchiveRejected('an entry path leaves the archive (absolute or with ..)');
  if (/invalid characters in fileName/i.test(message)) return new ArchiveRejected('an entry path holds characters a file name may not');
  if (/end of central directory|not a zip|invalid signature|zip64/i.test(message)) return new ArchiveRejected('the upload is not a readable zip archive');
  return new ArchiveRejected('the zip archive is malformed');
}

/**
 * Checks a whole archive from its central directory without decompressing anything: size, entry count,
 * paths (drive letters, traversal, absolute, depth), symbolic links, encryption, declared sizes and
 * compression ratios. Throws ArchiveRejected with the first reason; nothing is written before this passes.
 */
export async function inspectArchive(path: string, limits: ImportLimits): Promise<InspectedArchive> {
  const { size } = await stat(path);
  if (size === 0) throw new ArchiveRejected('the upload is empty');
  if (size > limits.maxArchiveBytes) throw new ArchiveRejected(`the archive is larger than ${limits.maxArchiveBytes} bytes`);
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw rejectionOf(error);
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new ArchiveRejected(`the archive has more than ${limits.maxEntries} entries`);
    const files: ArchiveFile[] = [];
    let folders = 0;
    let total = 0;
    let compressed = 0;
    const seen = new Set<string>();
    for await (const entry of entries(zip)) {
      const name = entry.fileName;
      if (/^[a-zA-Z]:/.test(name) || name.startsWith('/') || name.split('/').some((segment) => segment === '..')) {
        throw new ArchiveRejected('an entry path leaves the archive (absolute or with ..)');
      }
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) throw new ArchiveRejected('the archive holds a symbolic link');
      if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) throw new ArchiveRejected('the archive holds an entry that is neither a file nor a folder');
      if (entry.isEncrypted()) throw new ArchiveRejected('the archive holds an encrypted entry');
      const segments = name.replace(/\/$/, '').split('/');
      if (segments.length - 1 > limits.maxDepth) throw new ArchiveRejected(`an entry is nested deeper than ${limits.maxDepth} folders`);
      if (name.endsWith('/')) {
        folders += 1;
        continue;
      }
      const key = name.toLowerCase();
      if (seen.has(key)) throw new ArchiveRejected('the archive holds two entries of the same path');
      seen.add(key);
      total += entry.uncompressedSize;
      compressed += entry.compressedSize;
      if (total > limits.maxTotalUncompressedBytes) throw new ArchiveRejected(`the archive expands to more than ${limits.maxTotalUncompressedBytes} bytes`);
      if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio) {
        throw new ArchiveRejected(`an entry expands more than ${limits.maxCompressionRatio} times its compressed size (zip bomb)`);
      }
      files.push({ path: name, uncompressedSize: entry.uncompressedSize });
    }
    if (total > RATIO_CHECK_MIN_BYTES && total / Math.max(compressed, 1) > limits.maxCompressionRatio) {
      throw new ArchiveRejected(`the archive expands more than ${limits.maxCompressionRatio} times its compressed size (zip bomb)`);
    }
    return { files, folders };
  } catch (error) {
    throw rejectionOf(error);
  } finally {
    zip.close();
  }
}

/** One file's bytes, or why it could not be read (decompression, size; the archive was accepted). */
export type ReadFile = { path: string; ok: true; bytes: Buffer } | { path: string; ok: false; reason: string };

/**
 * Reads the files `wanted` accepts, one at a time, each bounded by `maxFileBytes` (and by its declared size:
 * yauzl stops an entry that inflates past it). Call after `inspectArchive` accepted the archive.
 */
export async function* readArchiveFiles(path: string, limits: ImportLimits, wanted: (path: string) => boolean): AsyncGenerator<ReadFile> {
  const zip = await openZip(path);
  try {
    for await (const entry of entries(zip)) {
      const name = entry.fileName;
      if (name.endsWith('/') || !wanted(name)) continue;
      if (entry.uncompressedSize > limits.maxFileBytes) {
        yield { path: name, ok: false, reason: `the file is larger than ${limits.maxFileBytes} bytes` };
        continue;
      }
      try {
        yield { path: name, ok: true, bytes: await readEntry(zip, entry, limits.maxFileBytes) };
      } catch {
        yield { path: name, ok: false, reason: 'the file could not be decompressed (corrupt or altered)' };
      }
    }
  } finally {
    zip.close();
  }
}

async function readEntry(zip: ZipFile, entry: Entry, maxBytes: number): Promise<Buffer> {
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable))));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new Error('entry larger than allowed');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
