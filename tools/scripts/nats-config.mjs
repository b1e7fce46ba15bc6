#!/usr/bin/env node
// Writes the NATS server's authorization (one user per service, publish/subscribe allow-lists) for a
// namespace from libs/contracts' natsAuthorizationConfig, the one generator (tests use it directly).
// Passwords are not in the file: nats-server reads each from NATS_PASSWORD_<SERVICE> in its environment.
// Needs a build (dist/). Usage: node tools/scripts/nats-config.mjs [namespace] [output file]
// (defaults: pv, deploy/nats/authorization.conf; `-` prints to stdout).
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const contracts = join(root, 'dist/libs/contracts/src/index.js');
if (!existsSync(contracts)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const { DEFAULT_NATS_NAMESPACE, natsAuthorizationConfig } = await import(pathToFileURL(contracts).href);
const [namespace = DEFAULT_NATS_NAMESPACE, output = join(root, 'deploy/nats/authorization.conf')] = process.argv.slice(2);
const text = natsAuthorizationConfig(namespace);
if (output === '-') process.stdout.write(text);
else writeFileSync(output, text);
