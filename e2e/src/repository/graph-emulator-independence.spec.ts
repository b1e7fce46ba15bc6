// The Graph emulator must behave like Microsoft Graph, not like PolicyVault's client: if it imported libs/graph
// (or an app) it would agree with the client by construction. Its sources may use node, @policyvault/contracts
// (demo tenant ids) and its own files only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const emulatorRoots = ['tools/graph-emulator/src', 'tools/graph-emulator/scripts'].map((path) => join(root, path));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;
  return [...source.matchAll(pattern)].map((match) => match[2]);
}

function forbiddenImport(file: string, specifier: string): string | undefined {
  if (/^@policyvault\/(graph|platform|worker-runtime|testing)(\/|$)/.test(specifier)) return specifier;
  if (specifier.startsWith('.')) {
    const target = relative(root, resolve(dirname(file), specifier));
    if (!target.startsWith('tools/graph-emulator/')) return `${specifier} (resolves to ${target})`;
  }
  return undefined;
}

describe('Graph emulator independence', () => {
  const files = emulatorRoots.flatMap(sourceFiles);

  it('finds the emulator sources', () => {
    expect(files.some((file) => file.endsWith('graph-handler.ts'))).toBe(true);
    expect(files.some((file) => file.endsWith('generate-catalogue.mjs'))).toBe(true);
  });

  it('imports neither libs/graph nor any app or other lib but contracts', () => {
    const violations = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .map((specifier) => forbiddenImport(file, specifier))
        .filter((found): found is string => found !== undefined)
        .map((found) => `${relative(root, file)} imports ${found}`),
    );
    expect(violations).toEqual([]);
  });

  it('recognises a forbidden import (the check can fail)', () => {
    const file = join(root, 'tools/graph-emulator/src/graph/example.ts');
    expect(forbiddenImport(file, '@policyvault/graph')).toBeDefined();
    expect(forbiddenImport(file, '../../../../apps/restore-worker/src/main.js')).toBeDefined();
    expect(forbiddenImport(file, '../../../../libs/graph/src/index.js')).toBeDefined();
    expect(specifiers("import { x } from '@policyvault/graph';\nexport { y } from \"../z.js\";\nawait import('node:fs');")).toEqual(['@policyvault/graph', '../z.js', 'node:fs']);
    expect(forbiddenImport(file, '../catalogue/collections.js')).toBeUndefined();
    expect(forbiddenImport(file, '@policyvault/contracts')).toBeUndefined();
  });
});
