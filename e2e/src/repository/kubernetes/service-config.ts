// Each service's configuration class, from the build (dist/): e2e code may not import apps, and the build is
// what the image runs. Its variables are the properties class-validator validates; `validate` runs the
// service's own loadConfig, so a deployment's environment is checked exactly as the service checks it at boot.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getMetadataStorage } from 'class-validator';

const root = resolve(process.cwd());

export interface ServiceConfig {
  service: string;
  /** Every variable the service reads (its config class's validated properties). */
  variables: string[];
  /** Throws the service's own ConfigError (naming each bad variable) or returns the typed configuration. */
  load: (environment: Record<string, string>) => Record<string, unknown>;
}

/** The apps (every folder of apps/ with a main.ts), as docker-compose.spec.ts counts them. */
export function serviceNames(): string[] {
  return readdirSync(join(root, 'apps'))
    .filter((name) => existsSync(join(root, 'apps', name, 'src/main.ts')))
    .sort();
}

async function importBuilt(path: string): Promise<Record<string, unknown>> {
  const file = join(root, 'dist', path);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npm run build)`);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** `apps/<service>/src/<service>.config.ts`'s exported class, with platform's loadConfig. */
export async function loadServiceConfig(service: string): Promise<ServiceConfig> {
  const module = await importBuilt(`apps/${service}/src/${service}.config.js`);
  const classes = Object.entries(module).filter(([name, value]) => name.endsWith('Config') && typeof value === 'function');
  if (classes.length !== 1) throw new Error(`apps/${service}/src/${service}.config.ts must export one *Config class`);
  const schema = classes[0][1] as new () => object;
  const { loadConfig } = (await importBuilt('libs/platform/src/index.js')) as {
    loadConfig: (schema: new () => object, environment: Record<string, string>) => Record<string, unknown>;
  };
  const variables = getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false)
    .map((metadata) => metadata.propertyName);
  return { service, variables: [...new Set(variables)].sort(), load: (environment) => loadConfig(schema, environment) };
}
