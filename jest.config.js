// One jest run for the whole suite: unit (*.spec.ts), integration (*.int-spec.ts: real Postgres and
// NATS JetStream) and end-to-end (*.e2e-spec.ts: services started as processes from dist/).
// Runs as native ESM (NestJS 12 is ESM): see "test" in package.json for --experimental-vm-modules.
// The admin UI's component tests (*.spec.tsx, apps/admin-ui) run here too, in jsdom (a docblock per file),
// compiled by swc with React's automatic JSX runtime.
import { readFileSync } from 'node:fs';

const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));

export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/e2e', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.tsx$': ['@swc/jest', { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } }],
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
  },
  moduleNameMapper: {
    '^@policyvault/graph-emulator$': '<rootDir>/tools/graph-emulator/src/index.ts',
    '^@policyvault/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '\\.css$': '<rootDir>/apps/admin-ui/test/style-stub.cjs',
    // @fastify/static (CommonJS) requires content-disposition 3, an ES module, which jest cannot require before
    // Node 24.9: the hoisted 2.0.1 is its CommonJS build, with the same `create` (used only by reply.download).
    '^content-disposition$': '<rootDir>/node_modules/content-disposition/dist/index.js',
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/libs/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/libs/testing/global-teardown.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
  verbose: false,
};
