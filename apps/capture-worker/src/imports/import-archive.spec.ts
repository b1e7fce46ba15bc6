import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { DEFAULT_IMPORT_LIMITS, inspectArchive, readArchiveFiles, type ReadFile } from './import-archive.js';

/** Rewrites every declared uncompressed size (local headers and central directory) to `size`: a header that lies. */
function lieAboutSizes(zip: Uint8Array, size: number): Buffer {
  const bytes = Buffer.from(zip);
  for (let offset = 0; offset + 4 <= bytes.length; offset += 1) {
    const signature = bytes.readUInt32LE(offset);
    if (signature === 0x04034b50) bytes.writeUInt32LE(size, offset + 22);
    if (signature === 0x02014b50) bytes.writeUInt32LE(size, offset + 24);
  }
  return bytes;
}

describe('import archives', () => {
  let folder: string;
  beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'pv-archive-spec-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return path;
  };
  const readAll = async (path: string, limits = DEFAULT_IMPORT_LIMITS) => {
    const files: ReadFile[] = [];
    for await (const file of readArchiveFiles(path, limits, () => true)) files.push(file);
    return files;
  };

  it('stops a file that inflates past the size its headers declare (a lying zip bomb): only that file fails, memory stays bounded', async () => {
    const path = write('liar.zip', lieAboutSizes(zipSync({ 'bomb.json': [new Uint8Array(8 * 1024 * 1024), { level: 9 }] }), 100));
    await expect(inspectArchive(path, DEFAULT_IMPORT_LIMITS)).resolves.toEqual({ files: [{ path: 'bomb.json', uncompressedSize: 100 }], folders: 0 });
    expect(await readAll(path)).toEqual([{ path: 'bomb.json', ok: false, reason: 'the file could not be decompressed (corrupt or altered)' }]);
  });

  it('fails a file over the per-file limit unread, and reads the others', async () => {
    const path = write('big.zip', zipSync({ 'big.json': new Uint8Array(4096), 'small.json': new TextEncoder().encode('{}') }));
    expect(await readAll(path, { ...DEFAULT_IMPORT_LIMITS, maxFileBytes: 1024 })).toEqual([
      { path: 'big.json', ok: false, reason: 'the file is larger than 1024 bytes' },
      { path: 'small.json', ok: true, bytes: Buffer.from('{}') },
    ]);
  });

  it('refuses an empty upload, a non-zip and duplicate paths as a whole', async () => {
    await expect(inspectArchive(write('empty.zip', new Uint8Array(0)), DEFAULT_IMPORT_LIMITS)).rejects.toThrow('the upload is empty');
    await expect(inspectArchive(write('text.zip', new TextEncoder().encode('{"a": 1}')), DEFAULT_IMPORT_LIMITS)).rejects.toThrow('the upload is not a readable zip archive');
    const twice = Buffer.from(zipSync({ 'A.json': new TextEncoder().encode('{}'), 'b.json': new TextEncoder().encode('{}') }));
    // Same length names: rename the second entry's `b` to `a` in both headers, a case-insensitive duplicate of `A.json`.
    const renamed = Buffer.from(twice.toString('latin1').replace(/b\.json/g, 'a.json'), 'latin1');
    await expect(inspectArchive(write('twice.zip', renamed), DEFAULT_IMPORT_LIMITS)).rejects.toThrow('the archive holds two entries of the same path');
  });
});
