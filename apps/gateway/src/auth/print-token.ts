#!/usr/bin/env node
// `npm run token -- <email> [expires-in]`: prints a development bearer token for a local gateway
// (AUTH_MODE=development). Signs with AUTH_DEV_SIGNING_KEY, or the local development key.
import { pathToFileURL } from 'node:url';
import { LOCAL_DEVELOPMENT_SIGNING_KEY, signDevelopmentToken } from '@policyvault/platform';

export async function printToken(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [email, expiresIn = '8h'] = argv;
  if (!email || !email.includes('@')) {
    process.stderr.write('usage: npm run token -- <email> [expires-in, e.g. 8h]\n');
    return 64; // EX_USAGE
  }
  const signingKey = env.AUTH_DEV_SIGNING_KEY ?? LOCAL_DEVELOPMENT_SIGNING_KEY;
  if (!env.AUTH_DEV_SIGNING_KEY) process.stderr.write('AUTH_DEV_SIGNING_KEY is not set: signing with the local development key\n');
  process.stdout.write(`${await signDevelopmentToken({ email: email.toLowerCase(), signingKey, expiresIn })}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printToken(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`token: ${error.message}\n`);
      process.exit(1);
    },
  );
}
