// One run-type registry, one roles enum. What a run type is (target and scope classes, minimum role,
// command subject, worker, Graph writes, audit) lives in RUN_TYPES_REGISTRY (libs/contracts) and
// nowhere else; a role is TenantRole, never a quoted string. This fails when code drifts from that:
// a role literal outside tenant-role.ts (migrations' SQL enums excepted), a run type missing from the
// registry or with a subject its worker never receives, or an app keeping its own run-type map.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  jetStreamNames,
  RUN_TYPES_REGISTRY,
  RUN_WORKER_COMMAND_PREFIXES,
  RunType,
  TenantRole,
  type RunTypeDefinition,
  type RunWorker,
} from '@policyvault/contracts';

const root = resolve(process.cwd());
const ROLES_ENUM_FILE = 'libs/contracts/src/tenant-role.ts';
const ROLE_LITERAL = new RegExp(`(['"\`])(${Object.values(TenantRole).join('|')})\\1`);
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
/** `Record<RunType, …>`, `Map<RunType, …>`, `{ [K in RunType]: … }`: a table keyed by run type. */
const RUN_TYPE_TABLE = /\b(Record|Map|ReadonlyMap)<\s*RunType\b|\[\s*\w+\s+in\s+RunType\s*\]/;
/** Two computed `[RunType.X]:` keys in one file: an object literal keyed by run type. */
const RUN_TYPE_KEY = /\[\s*RunType\.\w+\s*\]\s*:/g;

/** Tracked and new (not ignored) TypeScript files, repository-relative. */
function typeScriptFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.tsx', '*.mts', '*.cts'], {
    cwd: root,
    encoding: 'utf8',
  });
  return [...new Set(listed.split('\n').filter(Boolean))];
}

/** The browser's copy of the role values (the UI may import only types from libs/contracts). */
const UI_ROLES_FILE = 'apps/admin-ui/src/api/roles.ts';

function roleLiteralProblems(path: string, text: string): string[] {
  if (path === ROLES_ENUM_FILE || path === UI_ROLES_FILE || path.split('/').includes('migrations')) return [];
  return text
    .split('\n')
    .flatMap((line, index) => (ROLE_LITERAL.test(line) ? [`${path}:${index + 1}: role string literal (use TenantRole): ${line.trim()}`] : []));
}

function runTypeMapProblems(path: string, text: string): string[] {
  // Tests may write their expectations out by hand, on purpose; the registry's own library may map.
  if (path.startsWith('libs/contracts/') || TEST_FILE.test(path)) return [];
  const problems: string[] = [];
  if (RUN_TYPE_TABLE.test(text)) problems.push(`${path}: a table keyed by RunType (read RUN_TYPES_REGISTRY instead)`);
  if ((text.match(RUN_TYPE_KEY) ?? []).length >= 2) problems.push(`${path}: an object keyed by RunType values (read RUN_TYPES_REGISTRY instead)`);
  return problems;
}

function registryProblems(registry: Partial<Record<string, RunTypeDefinition>>, runTypes: readonly string[]): string[] {
  const problems: string[] = [];
  const subjects = new Map<string, string>();
  for (const type of runTypes) {
    const definition = registry[type];
    if (!definition) {
      problems.push(`${type}: missing from RUN_TYPES_REGISTRY`);
      continue;
    }
    const prefix = RUN_WORKER_COMMAND_PREFIXES[definition.worker];
    if (!prefix || !definition.subject.startsWith(prefix)) {
      problems.push(`${type}: subject ${definition.subject} is not under ${definition.worker}'s command filter ${prefix}>`);
    }
    const other = subjects.get(definition.subject);
    if (other) problems.push(`${type}: subject ${definition.subject} is also ${other}'s`);
    subjects.set(definition.subject, type);
    if (!Object.values(TenantRole).includes(definition.minimumRole)) problems.push(`${type}: minimum role ${definition.minimumRole} is no TenantRole`);
  }
  for (const type of Object.keys(registry)) if (!runTypes.includes(type)) problems.push(`${type}: registry entry for no RunType`);
  return problems;
}

describe('one run-type registry, one roles enum', () => {
  const files = typeScriptFiles().map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));

  it('finds the repository', () => {
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining([ROLES_ENUM_FILE, 'libs/contracts/src/runs/run-types.registry.ts']));
  });

  it('has no role string literal outside the roles enum and migrations', () => {
    expect(files.flatMap(({ path, text }) => roleLiteralProblems(path, text))).toEqual([]);
  });

  it('has no run-type map outside libs/contracts', () => {
    expect(files.flatMap(({ path, text }) => runTypeMapProblems(path, text))).toEqual([]);
  });

  it('has an entry for every run type, each subject unique and under its worker\'s command filter', () => {
    expect(registryProblems(RUN_TYPES_REGISTRY, Object.values(RunType))).toEqual([]);
    const names = jetStreamNames('pv');
    const filters: Record<RunWorker, string> = { 'capture-worker': names.captureCommandFilter, 'restore-worker': names.restoreCommandFilter };
    for (const worker of Object.keys(RUN_WORKER_COMMAND_PREFIXES) as RunWorker[]) {
      expect(filters[worker]).toBe(names.subject(`${RUN_WORKER_COMMAND_PREFIXES[worker]}>`));
    }
  });

  describe('fails on sneaky code', () => {
    it('a role literal in an app, in any quotes, and in SQL text', () => {
      for (const quote of [`'`, `"`, '`']) {
        const snippet = `if (request.requesterRole !== ${quote}${TenantRole.Owner}${quote}) throw new Error('no');`;
        expect(roleLiteralProblems('apps/run-service/src/runs/cancel-run.service.ts', snippet)).toHaveLength(1);
      }
      const sql = `await pool.query(\`INSERT INTO gateway.memberships (role) VALUES ('${TenantRole.Reader}')\`);`;
      expect(roleLiteralProblems('apps/gateway/test/sneaky.int-spec.ts', sql)).toHaveLength(1);
      expect(roleLiteralProblems('apps/gateway/src/database/migrations/1-create.migration.ts', sql)).toEqual([]);
      expect(roleLiteralProblems('apps/gateway/src/fine.ts', `const email = '${TenantRole.Owner}@contoso.test';`)).toEqual([]);
    });

    it('a run-type map in an app', () => {
      const record = `const LABELS: Record<RunType, string> = {} as never;`;
      const literal = `const worker = { [RunType.InventorySync]: 'capture', [RunType.RestoreExecute]: 'restore' };`;
      const mapped = `type Labels = { [type in RunType]: string };`;
      for (const snippet of [record, literal, mapped]) expect(runTypeMapProblems('apps/notifier/src/sneaky.ts', snippet)).toHaveLength(1);
      expect(runTypeMapProblems('libs/contracts/src/runs/run-types.registry.ts', record)).toEqual([]);
      expect(runTypeMapProblems('apps/notifier/src/fine.ts', `if (type === RunType.RestoreExecute) audit();`)).toEqual([]);
    });

    it('a run type missing from the registry, a shared subject, or a subject outside its worker\'s filter', () => {
      const { [RunType.RestorePreview]: _missing, ...withoutPreview } = RUN_TYPES_REGISTRY;
      expect(registryProblems(withoutPreview, Object.values(RunType))).toEqual(['restore.preview: missing from RUN_TYPES_REGISTRY']);
      const sharing = { ...RUN_TYPES_REGISTRY, [RunType.RestorePreview]: { ...RUN_TYPES_REGISTRY[RunType.RestorePreview], subject: 'cmd.restore.execute.v1' } };
      expect(registryProblems(sharing, Object.values(RunType))).toEqual([expect.stringMatching(/^restore.execute: subject cmd.restore.execute.v1 is also restore.preview's/)]);
      const misrouted = { ...RUN_TYPES_REGISTRY, [RunType.InventorySync]: { ...RUN_TYPES_REGISTRY[RunType.InventorySync], worker: 'restore-worker' as const } };
      expect(registryProblems(misrouted, Object.values(RunType))).toEqual([
        "inventory.sync: subject cmd.capture.inventory-sync.v1 is not under restore-worker's command filter cmd.restore.>",
      ]);
      expect(registryProblems(RUN_TYPES_REGISTRY, [...Object.values(RunType), 'policy.delete'])).toEqual(['policy.delete: missing from RUN_TYPES_REGISTRY']);
    });
  });
});
