// Nx module boundaries are enforced by lint (eslint.config.js); this proves the rule is live: an app
// importing another app, or a lib importing an app, is an error, while app → lib is fine.
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('Nx module boundaries', () => {
  it('forbids an app importing another app', async () => {
    const messages = await lint('apps/gateway/src/sneaky.ts', "import { AppModule } from '../../run-service/src/app.module.js';\nexport const x = AppModule;\n");
    expect(messages.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('forbids a lib importing an app', async () => {
    const messages = await lint('libs/contracts/src/sneaky.ts', "import { AppModule } from '../../../apps/run-service/src/app.module.js';\nexport const x = AppModule;\n");
    expect(messages.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('forbids production code importing the test kit', async () => {
    const messages = await lint('apps/gateway/src/sneaky.ts', "import { waitFor } from '@policyvault/testing';\nexport const x = waitFor;\n");
    expect(messages.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('lets the admin UI import only types, and only from contracts', async () => {
    const valueImport = await lint('apps/admin-ui/src/sneaky.ts', "import { RunStatus } from '@policyvault/contracts';\nexport const x = RunStatus;\n");
    expect(valueImport.join('\n')).toMatch(/imports only types from contracts/);
    const otherLib = await lint('apps/admin-ui/src/sneaky.ts', "import type { GatewayConfig } from '@policyvault/platform';\nexport type X = GatewayConfig;\n");
    expect(otherLib.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
    const app = await lint('apps/admin-ui/src/sneaky.tsx', "import type { RunsController } from '../../gateway/src/runs/runs.controller.js';\nexport type X = RunsController;\n");
    expect(app.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
    expect(await lint('apps/admin-ui/src/fine.ts', "import type { RunView } from '@policyvault/contracts';\nexport type X = RunView;\n")).toEqual([]);
  });

  it('allows an app importing libs', async () => {
    const messages = await lint('apps/gateway/src/fine.ts', "import { RunType } from '@policyvault/contracts';\nexport const x = RunType;\n");
    expect(messages).toEqual([]);
  });
});
