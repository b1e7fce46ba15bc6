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

  it('allows an app importing libs', async () => {
    const messages = await lint('apps/gateway/src/fine.ts', "import { RunType } from '@policyvault/contracts';\nexport const x = RunType;\n");
    expect(messages).toEqual([]);
  });
});
