// deploy/k8s, rendered as `kubectl apply -k` would (kustomize.ts): every object valid against the Kubernetes
// schemas (kubernetes-models; KEDA's and the Prometheus Operator's CRDs), and every service deployable as it
// runs — its own config class accepts the environment each overlay gives it (ConfigMaps, Secrets), secrets only
// from Secrets, both probes on its PORT, resources, a PodDisruptionBudget, a grace period longer than its
// shutdown, the NATS user and password the server expects, and KEDA on the workers' durable consumers.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Model } from '@kubernetes-models/base';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service, type IContainer, type IPodSpec } from 'kubernetes-models/v1';
import { jetStreamNames, natsPasswordVariable, natsPermissions, type NatsServiceUser } from '@policyvault/contracts';
import { kustomizeBuild, type KubernetesObject } from './kustomize.js';
import { loadServiceConfig, serviceNames, type ServiceConfig } from './service-config.js';

const OVERLAYS = { dev: 'deploy/k8s/overlays/dev', production: 'deploy/k8s/overlays/production' } as const;
type Overlay = keyof typeof OVERLAYS;

/** Every kind deploy/k8s may hold, with the model that validates it. */
const MODELS: Record<string, new (data: never) => Model<unknown>> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/** Variables that hold a secret (or carry one: DATABASE_URL's password). They come only from Secrets. */
const SECRET_VARIABLES = ['DATABASE_URL', 'NATS_PASSWORD', 'GRAPH_CLIENT_SECRET', 'SECRET_ENCRYPTION_KEYS', 'AUTH_DEV_SIGNING_KEY', 'SMTP_PASSWORD'];
/** Named like a secret, but public (a key id). A new variable named like a secret must join one of the lists. */
const NOT_SECRET_VARIABLES = ['SECRET_ENCRYPTION_ACTIVE_KEY'];
const NAMED_LIKE_A_SECRET = /PASSWORD|SECRET|KEY|TOKEN|CREDENTIAL|DATABASE_URL/;
/** Read outside the config classes: the listen address (libs/platform/src/bootstrap.ts), and Node's own options (the worker's heap limit). */
const BOOTSTRAP_VARIABLES = ['HOST', 'NODE_OPTIONS'];

/** What the Secrets production creates beforehand (deploy/README.md) might hold: valid values of each key. */
const EXAMPLE_SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://policyvault:example@postgres.example.com:5432/policyvault',
  GRAPH_CLIENT_SECRET: 'example-client-secret',
  SECRET_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  ...Object.fromEntries((['gateway', 'run-service', 'capture-worker', 'restore-worker', 'notifier'] as const).map((user) => [natsPasswordVariable(user), `${user}-example`])),
};

const natsValues = parse(readFileSync('deploy/k8s/nats/values.yaml', 'utf8')) as NatsChartValues;
const natsDevValues = parse(readFileSync('deploy/k8s/nats/values-dev.yaml', 'utf8')) as NatsChartValues;
interface NatsChartValues {
  config: { cluster: { enabled: boolean; replicas?: number }; jetstream?: { enabled: boolean }; monitor?: { port: number }; merge?: Record<string, unknown> };
  container?: { env?: Record<string, { valueFrom?: { secretKeyRef?: { name: string; key: string } } }> };
}

const rendered = Object.fromEntries(Object.entries(OVERLAYS).map(([overlay, path]) => [overlay, kustomizeBuild(path)])) as Record<Overlay, KubernetesObject[]>;
const services = serviceNames();
let configs: Record<string, ServiceConfig>;

beforeAll(async () => {
  configs = {};
  // One at a time: jest's ESM loader fails on concurrent imports of the same module graph.
  for (const service of services) configs[service] = await loadServiceConfig(service);
});

const ofKind = <T>(objects: KubernetesObject[], kind: string) => objects.filter((object) => object.kind === kind) as unknown as (T & KubernetesObject)[];
const podSpecOf = (workload: IDeployment | IJob): IPodSpec => workload.spec!.template.spec!;
const named = <T = KubernetesObject>(objects: KubernetesObject[], kind: string, name: string | undefined) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name) as T | undefined;
const configMapData = (objects: KubernetesObject[], name: string) => named<{ data?: Record<string, string> }>(objects, 'ConfigMap', name)?.data ?? {};

/**
 * The environment a container starts with: envFrom ConfigMaps in order, then env. Secrets come from the
 * overlay's own Secret objects (dev) or, for an overlay that has none (production creates them beforehand),
 * from example values of each key.
 */
function environmentOf(container: IContainer, objects: KubernetesObject[]) {
  const overlayHasSecrets = objects.some((object) => object.kind === 'Secret');
  const values: Record<string, string> = {};
  const fromConfigMaps = new Set<string>();
  const fromSecrets = new Map<string, { name: string; key: string }>();
  const literals = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: envFrom takes ConfigMaps only (secrets are referenced one variable at a time)`);
    const configMap = named<{ data?: Record<string, string> }>(objects, 'ConfigMap', source.configMapRef.name);
    if (!configMap) throw new Error(`${container.name}: ConfigMap ${source.configMapRef.name} is not in the overlay`);
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      values[key] = value;
      fromConfigMaps.add(key);
    }
  }
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (secretRef) {
      fromSecrets.set(variable.name, { name: secretRef.name!, key: secretRef.key });
      const secret = named<{ stringData?: Record<string, string> }>(objects, 'Secret', secretRef.name);
      const value = overlayHasSecrets ? secret?.stringData?.[secretRef.key] : EXAMPLE_SECRET_VALUES[secretRef.key];
      if (value !== undefined) values[variable.name] = value;
      else if (!secretRef.optional) throw new Error(`${container.name}: ${variable.name} needs ${secretRef.name}/${secretRef.key}, which nothing provides`);
    } else if (variable.valueFrom?.fieldRef) {
      values[variable.name] = 'pod-name';
    } else {
      values[variable.name] = variable.value ?? '';
      literals.add(variable.name);
    }
  }
  return { values, fromConfigMaps, fromSecrets, literals };
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? { none: 'none' }).every(([key, value]) => labels?.[key] === value);
}

describe('every manifest is valid against the Kubernetes schemas', () => {
  it.each([...Object.values(OVERLAYS), 'deploy/k8s/monitoring'])('%s', (path) => {
    const objects = kustomizeBuild(path);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect({ object: `${object.kind} ${object.metadata.name}`, known: Boolean(model) }).toEqual({ object: `${object.kind} ${object.metadata.name}`, known: true });
      expect(() => new model(object as never).validate()).not.toThrow();
    }
  });

  it('notices an invalid object', () => {
    const gateway = structuredClone(named(rendered.production, 'Deployment', 'gateway')) as unknown as IDeployment;
    gateway.spec!.template.spec!.containers[0].ports = [{ containerPort: 'http' as unknown as number }];
    expect(() => new Deployment(gateway).validate()).toThrow('containerPort');
  });
});

describe.each(Object.keys(OVERLAYS) as Overlay[])('the %s overlay', (overlay) => {
  const objects = rendered[overlay];
  const deployments = ofKind<IDeployment>(objects, 'Deployment');

  it('runs every service from its own entry point, and the migrations job', () => {
    expect(services).toEqual(['capture-worker', 'gateway', 'notifier', 'restore-worker', 'run-service']);
    for (const service of services) {
      const deployment = named<IDeployment>(objects, 'Deployment', service);
      expect(deployment && podSpecOf(deployment).containers.map((container) => container.command)).toEqual([['node', `dist/apps/${service}/src/main.js`]]);
    }
    const [migrate] = ofKind<IJob>(objects, 'Job');
    expect(podSpecOf(migrate).containers[0].command?.join(' ')).toContain('node tools/scripts/migrate.mjs');
    expect(environmentOf(podSpecOf(migrate).containers[0], objects).fromSecrets.get('DATABASE_URL')).toEqual({ name: 'policyvault-database', key: 'DATABASE_URL' });
    // Every workload runs the overlay's tagged image.
    for (const workload of [...deployments, migrate]) for (const container of podSpecOf(workload).containers) expect(container.image).toMatch(/:[\w.-]+$/);
  });

  it('gives each service an environment its own config class accepts', () => {
    for (const service of services) {
      const container = podSpecOf(named<IDeployment>(objects, 'Deployment', service)!).containers[0];
      const { values } = environmentOf(container, objects);
      expect({ service, problems: problemsOf(() => configs[service].load(values)) }).toEqual({ service, problems: [] });
    }
  });

  it('lets every variable be set: each service loads a ConfigMap of its own', () => {
    for (const service of services) {
      const container = podSpecOf(named<IDeployment>(objects, 'Deployment', service)!).containers[0];
      expect((container.envFrom ?? []).map((source) => source.configMapRef?.name)).toContain(`policyvault-${service}`);
    }
  });

  it('sets only variables the services read', () => {
    const known = (service: string) => new Set([...configs[service].variables, ...BOOTSTRAP_VARIABLES]);
    const readers = new Map<string, string[]>();
    for (const service of services) {
      const container = podSpecOf(named<IDeployment>(objects, 'Deployment', service)!).containers[0];
      for (const variable of container.env ?? []) expect({ service, variable: variable.name, read: known(service).has(variable.name) }).toEqual({ service, variable: variable.name, read: true });
      for (const { configMapRef } of container.envFrom ?? []) readers.set(configMapRef!.name!, [...(readers.get(configMapRef!.name!) ?? []), service]);
    }
    // A shared ConfigMap's key is read by at least one of the services loading it (a typo is read by none).
    for (const [name, loaders] of readers) {
      for (const key of Object.keys(configMapData(objects, name))) expect({ name, key, read: loaders.some((service) => known(service).has(key)) }).toEqual({ name, key, read: true });
    }
  });

  it('takes every secret from a Secret, one variable at a time, and nothing secret from a ConfigMap', () => {
    for (const service of services) {
      for (const variable of configs[service].variables.filter((name) => NAMED_LIKE_A_SECRET.test(name))) {
        expect({ variable, classified: SECRET_VARIABLES.includes(variable) || NOT_SECRET_VARIABLES.includes(variable) }).toEqual({ variable, classified: true });
      }
      const container = podSpecOf(named<IDeployment>(objects, 'Deployment', service)!).containers[0];
      const { fromConfigMaps, fromSecrets, literals } = environmentOf(container, objects);
      for (const variable of configs[service].variables.filter((name) => SECRET_VARIABLES.includes(name))) {
        expect({ service, variable, fromSecret: fromSecrets.has(variable), elsewhere: fromConfigMaps.has(variable) || literals.has(variable) }).toEqual({ service, variable, fromSecret: true, elsewhere: false });
      }
    }
  });

  it('connects each service as its own NATS user, with the password the NATS chart gives the server', () => {
    for (const service of services) {
      const container = podSpecOf(named<IDeployment>(objects, 'Deployment', service)!).containers[0];
      const { values, fromSecrets } = environmentOf(container, objects);
      const variable = natsPasswordVariable(service as NatsServiceUser);
      expect(values.NATS_USER).toBe(service);
      expect(fromSecrets.get('NATS_PASSWORD')).toEqual(natsValues.container?.env?.[variable]?.valueFrom?.secretKeyRef);
      expect(fromSecrets.get('NATS_PASSWORD')).toEqual({ name: 'policyvault-nats-users', key: variable });
    }
  });

  it('probes every Deployment (/health/live and /health/ready on the service PORT), sizes it and covers it with a PodDisruptionBudget', () => {
    const budgets = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    expect(deployments.length).toBeGreaterThanOrEqual(services.length);
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      for (const container of podSpecOf(deployment).containers) {
        expect({ name, liveness: Boolean(container.livenessProbe?.httpGet), readiness: Boolean(container.readinessProbe?.httpGet) }).toEqual({ name, liveness: true, readiness: true });
        const { requests, limits } = container.resources ?? {};
        expect({ name, cpu: requests?.cpu !== undefined, memory: requests?.memory !== undefined, memoryLimit: limits?.memory !== undefined }).toEqual({ name, cpu: true, memory: true, memoryLimit: true });
      }
      const covering = budgets.filter((budget) => budget.metadata.namespace === deployment.metadata.namespace && selects(budget.spec?.selector?.matchLabels, deployment.spec!.template.metadata?.labels));
      expect({ name, budgets: covering.length, bounded: covering.every((budget) => budget.spec?.maxUnavailable !== undefined || budget.spec?.minAvailable !== undefined) }).toEqual({ name, budgets: 1, bounded: true });
    }
    for (const service of services) {
      const container = podSpecOf(named<IDeployment>(objects, 'Deployment', service)!).containers[0];
      const port = Number(environmentOf(container, objects).values.PORT);
      const portOf = (reference: string | number | undefined) => (typeof reference === 'number' ? reference : container.ports?.find((entry) => entry.name === reference)?.containerPort);
      expect({ service, path: container.livenessProbe?.httpGet?.path, port: portOf(container.livenessProbe?.httpGet?.port) }).toEqual({ service, path: '/health/live', port });
      expect({ service, path: container.readinessProbe?.httpGet?.path, port: portOf(container.readinessProbe?.httpGet?.port) }).toEqual({ service, path: '/health/ready', port });
      // The Service and Prometheus reach the same port.
      const serviceObject = named<{ spec: { ports: { name: string; targetPort: string }[] } }>(objects, 'Service', service);
      expect(portOf(serviceObject?.spec.ports.find((entry) => entry.name === 'http')?.targetPort)).toBe(port);
      expect(named(objects, 'Deployment', service)!.spec).toMatchObject({ template: { metadata: { annotations: { 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' } } } });
    }
    for (const job of ofKind<IJob>(objects, 'Job')) for (const container of podSpecOf(job).containers) expect(container.resources?.requests?.memory).toBeDefined();
  });

  it('runs both workers under the V8 heap limit docker-compose.yml and `npm start` give them', () => {
    for (const worker of ['capture-worker', 'restore-worker']) {
      const deployment = deployments.find((candidate) => candidate.metadata.name?.endsWith(worker));
      const [container] = podSpecOf(deployment!).containers;
      expect({ worker, NODE_OPTIONS: environmentOf(container, objects).values.NODE_OPTIONS }).toEqual({ worker, NODE_OPTIONS: '--max-old-space-size=192' });
    }
  });

  it('gives every service more grace than its shutdown takes (preStop sleep, command hand-back)', () => {
    for (const service of services) {
      const deployment = named<IDeployment>(objects, 'Deployment', service)!;
      const container = podSpecOf(deployment).containers[0];
      const config = configs[service].load(environmentOf(container, objects).values);
      const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
      const preStopMs = preStop[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
      const shutdownMs = typeof config.SHUTDOWN_GRACE_MS === 'number' ? config.SHUTDOWN_GRACE_MS : 0;
      const graceMs = (podSpecOf(deployment).terminationGracePeriodSeconds ?? 30) * 1000;
      // 10 s beyond: NATS drains, database pool closes, a Graph request in flight ends.
      expect({ service, enough: graceMs >= preStopMs + shutdownMs + 10_000 }).toEqual({ service, enough: true });
    }
    // The gateway takes HTTP traffic through its Service: it keeps serving while its endpoint is removed.
    const gateway = podSpecOf(named<IDeployment>(objects, 'Deployment', 'gateway')!).containers[0];
    expect(gateway.lifecycle?.preStop?.exec?.command).toEqual(['sleep', expect.stringMatching(/^[1-9]\d*$/)]);
  });
});

describe('the production overlay', () => {
  const objects = rendered.production;

  it('talks to Microsoft Graph, never the emulator', () => {
    expect(named(objects, 'Deployment', 'graph-emulator')).toBeUndefined();
    expect(configMapData(objects, 'policyvault-graph').GRAPH_BASE_URL).toBe('https://graph.microsoft.com');
  });

  it('keeps three copies of every stream on the chart\'s three-node JetStream cluster', () => {
    const common = configMapData(objects, 'policyvault-common');
    expect(common.NATS_STREAM_REPLICAS).toBe('3');
    expect(natsValues.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(natsValues.config.jetstream?.enabled).toBe(true);
  });

  it('scales each worker with KEDA on its durable consumer\'s pending commands', () => {
    const scaled = ofKind<ScaledObject>(objects, 'ScaledObject');
    const workers = services.filter((service) => configs[service].variables.includes('COMMAND_CONCURRENCY'));
    expect(workers).toEqual(['capture-worker', 'restore-worker']);
    expect(scaled.map((object) => object.spec.scaleTargetRef.name).sort()).toEqual(workers);
    for (const worker of workers) {
      const deployment = named<IDeployment>(objects, 'Deployment', worker)!;
      const config = configs[worker].load(environmentOf(podSpecOf(deployment).containers[0], objects).values);
      const names = jetStreamNames(config.NATS_NAMESPACE as string);
      const durablePrefix = `$JS.API.CONSUMER.DURABLE.CREATE.${names.commandStream}.`;
      const durable = natsPermissions(names.namespace)[worker as NatsServiceUser].publish.find((subject) => subject.startsWith(durablePrefix))?.slice(durablePrefix.length);
      const scaler = scaled.find((object) => object.spec.scaleTargetRef.name === worker)!;
      expect(scaler.metadata?.namespace).toBe(deployment.metadata?.namespace);
      expect(scaler.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
      expect(scaler.spec.triggers).toEqual([
        {
          type: 'nats-jetstream',
          metadata: {
            // The chart's headless Service in the release's namespace: KEDA asks the consumer's leader through it.
            natsServerMonitoringEndpoint: `nats-headless.${deployment.metadata?.namespace}.svc.cluster.local:${natsValues.config.monitor?.port}`,
            account: '$G',
            stream: names.commandStream,
            consumer: durable,
            // One replica per COMMAND_CONCURRENCY outstanding commands.
            lagThreshold: String(config.COMMAND_CONCURRENCY),
          },
        },
      ]);
      // KEDA's HPA owns the replica count: a replicas field would reset it on every apply.
      expect(deployment.spec?.replicas).toBeUndefined();
    }
  });
});

describe('the dev overlay', () => {
  const objects = rendered.dev;

  it('runs the Graph emulator and one NATS server with one copy of each stream', () => {
    expect(named(objects, 'Deployment', 'graph-emulator')).toBeDefined();
    expect(configMapData(objects, 'policyvault-graph').GRAPH_BASE_URL).toBe('http://graph-emulator:3100');
    expect(configMapData(objects, 'policyvault-common').NATS_STREAM_REPLICAS).toBe('1');
    expect(natsDevValues.config.cluster.enabled).toBe(false);
    expect(ofKind(objects, 'ScaledObject')).toEqual([]);
  });
});

describe('the NATS chart values', () => {
  it('include the generated authorization and give the server every service\'s password from the Secret', () => {
    expect(natsValues.config.merge).toEqual({ '00$include': 'authorization.conf' });
    const readme = readFileSync('deploy/README.md', 'utf8');
    expect(readme).toContain("--set-file 'configMap.merge.data.authorization\\.conf=deploy/nats/authorization.conf'");
    for (const service of services) {
      const variable = natsPasswordVariable(service as NatsServiceUser);
      expect(natsValues.container?.env?.[variable]).toEqual({ valueFrom: { secretKeyRef: { name: 'policyvault-nats-users', key: variable } } });
    }
  });
});

describe('deploy/README.md', () => {
  it('names every Secret and key production needs', () => {
    const readme = readFileSync('deploy/README.md', 'utf8');
    const references = rendered.production.flatMap((object) =>
      object.kind === 'Deployment' || object.kind === 'Job'
        ? podSpecOf(object as unknown as IDeployment).containers.flatMap((container) => (container.env ?? []).flatMap((variable) => (variable.valueFrom?.secretKeyRef ? [variable.valueFrom.secretKeyRef] : [])))
        : [],
    );
    expect(references.length).toBeGreaterThan(0);
    for (const { name, key } of references) expect({ name, key, documented: readme.includes(name!) && readme.includes(key) }).toEqual({ name, key, documented: true });
  });
});

function problemsOf(load: () => unknown): string[] {
  try {
    load();
    return [];
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [(error as Error).message];
  }
}
