#!/usr/bin/env node
// Compiles every app, lib and tool to dist/ with swc (type checking is `npm run typecheck`).
// Path aliases (@policyvault/*) are rewritten to relative imports so the output runs on plain Node.
// The admin UI (a browser app) is bundled by Vite instead, into dist/apps/admin-ui (the gateway serves it).
import { transformFile } from '@swc/core';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile, copyFile, rm, rename } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const distRoot = join(root, 'dist');
// Built aside, then swapped in, so a test run reading dist/ never sees it half-written.
const outRoot = join(root, `.dist-build-${process.pid}`);
const sourceRoots = ['apps', 'libs', 'tools', 'bench'];
const viteProjects = ['apps/admin-ui'];
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const isTest = (file) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(file) || file.includes('/test/');
const assetExtensions = ['.json', '.pem'];

async function* walk(directory) {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      if (viteProjects.includes(relative(root, path))) continue;
      yield* walk(path);
    } else {
      yield path;
    }
  }
}

function rewriteAliases(code, outFile) {
  return code.replace(/(from\s+|import\s*\(\s*|import\s+)(['"])(@policyvault\/[a-z-]+)\2/g, (match, prefix, quote, alias) => {
    const target = tsconfig.compilerOptions.paths[alias]?.[0];
    if (!target) throw new Error(`unknown import alias ${alias} in ${outFile}`);
    const targetJs = join(outRoot, target.replace(/^\.\//, '').replace(/\.ts$/, '.js'));
    let relativePath = relative(dirname(outFile), targetJs);
    if (!relativePath.startsWith('.')) relativePath = `./${relativePath}`;
    return `${prefix}${quote}${relativePath}${quote}`;
  });
}

async function build() {
  await rm(outRoot, { recursive: true, force: true });
  const jobs = [];
  for (const sourceRoot of sourceRoots) {
    for await (const file of walk(join(root, sourceRoot))) {
      const relativeFile = relative(root, file);
      if (file.endsWith('.ts') && !file.endsWith('.d.ts') && !isTest(relativeFile)) {
        jobs.push(compile(file, join(outRoot, relativeFile.replace(/\.ts$/, '.js'))));
      } else if (assetExtensions.some((extension) => file.endsWith(extension)) && relativeFile.includes('/src/')) {
        jobs.push(copy(file, join(outRoot, relativeFile)));
      }
    }
  }
  await Promise.all(jobs);
  for (const project of viteProjects) await bundle(project);
  await writeFile(join(outRoot, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
  const previous = join(root, `.dist-old-${process.pid}`);
  await rename(distRoot, previous).catch(() => undefined);
  await rename(outRoot, distRoot);
  await rm(previous, { recursive: true, force: true });
  console.log(`built ${jobs.length} files into dist/`);
}

async function compile(file, outFile) {
  const output = await transformFile(file, { ...swcrc, swcrc: false, filename: file, sourceFileName: relative(dirname(outFile), file) });
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, rewriteAliases(output.code, outFile) + `\n//# sourceMappingURL=${outFile.split('/').pop()}.map\n`);
  if (output.map) await writeFile(`${outFile}.map`, output.map);
}

async function bundle(project) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: join(root, project, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(outRoot, project) },
  });
}

async function copy(file, outFile) {
  await mkdir(dirname(outFile), { recursive: true });
  await copyFile(file, outFile);
}

build().catch((error) => {
  console.error(error);
  process.exit(1);
});
