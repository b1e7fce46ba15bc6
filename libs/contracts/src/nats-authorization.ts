// Who may publish and subscribe what on NATS: one user per service, its allow-lists derived from the
// subjects (subjects.ts) and the run-type registry. `natsAuthorizationConfig` renders them as the
// nats-server `authorization { users = [...] }` block used by docker-compose and deployments
// (deploy/nats/, written by tools/scripts/nats-config.mjs) and by the tests' private nats-server.
import { RUN_TYPES_REGISTRY, type RunWorker } from './runs/run-types.registry.js';
import {
  AuditRpc,
  BackupScheduleRpc,
  BackupStoreRpc,
  DirectoryRpc,
  DriftRpc,
  NotificationRpc,
  RestoreRpc,
  RunRpc,
  RUN_PROGRESS_SUBJECT,
  SCHEDULE_ALERT_SUBJECT,
  RUN_STATUS_SUBJECT,
  TENANT_PURGE_SUBJECT,
  WorkerEventSubjects,
  jetStreamNames,
  workerEventSubject,
  type JetStreamNames,
} from './subjects.js';

export const NATS_SERVICE_USERS = ['gateway', 'run-service', 'capture-worker', 'restore-worker', 'notifier'] as const;
export type NatsServiceUser = (typeof NATS_SERVICE_USERS)[number];

export interface NatsUserPermissions {
  publish: string[];
  subscribe: string[];
}

/** A user's reply inbox (`inboxPrefix` of its connections): only that user may subscribe to its replies. */
export function natsInboxPrefix(user: string): string {
  return `_INBOX.${user}`;
}

/** The environment variable the generated server configuration reads a service's password from. */
export function natsPasswordVariable(service: NatsServiceUser): string {
  return `NATS_PASSWORD_${service.toUpperCase().replace(/-/g, '_')}`;
}

const endpoints = (group: Record<string, string>): string[] => Object.values(group);

/** The request/reply endpoints each service serves (its queue group) and calls. */
const RPC: Record<NatsServiceUser, { serves: string[]; calls: string[] }> = {
  gateway: {
    serves: endpoints(DirectoryRpc),
    // The API in front of everything; the manual scheduler clock (dispatch) is for operators and tests only.
    calls: [
      ...endpoints(RunRpc),
      ...endpoints(BackupScheduleRpc).filter((pattern) => pattern !== BackupScheduleRpc.dispatch),
      ...endpoints(AuditRpc),
      ...endpoints(BackupStoreRpc),
      ...endpoints(RestoreRpc),
      ...endpoints(DriftRpc),
      ...endpoints(NotificationRpc),
    ],
  },
  'run-service': { serves: [...endpoints(RunRpc), ...endpoints(BackupScheduleRpc), ...endpoints(AuditRpc)], calls: [] },
  // Workers ask run-service about the run of each command (RunStateProbe).
  'capture-worker': { serves: endpoints(BackupStoreRpc), calls: [RunRpc.get] },
  'restore-worker': {
    serves: [...endpoints(RestoreRpc), ...endpoints(DriftRpc)],
    calls: [RunRpc.get, BackupStoreRpc.getBackupSet, BackupStoreRpc.getLatestBackupSet, BackupStoreRpc.listBackupItems],
  },
  notifier: { serves: endpoints(NotificationRpc), calls: [DirectoryRpc.tenantOwners] },
};

interface Durable {
  stream: string;
  durable: string;
}

/** The durable consumers each service reads (names as the apps declare them; tenant purges: `<service>-tenant-purge`). */
function durablesOf(service: NatsServiceUser, names: JetStreamNames): Durable[] {
  const purge = { stream: names.tenantEventStream, durable: `${service}-tenant-purge` };
  switch (service) {
    case 'gateway':
      return [purge];
    case 'run-service':
      return [{ stream: names.workerEventStream, durable: 'run-service' }];
    case 'capture-worker':
    case 'restore-worker':
      return [{ stream: names.commandStream, durable: service }, purge];
    case 'notifier':
      return [{ stream: names.runStatusStream, durable: 'notifier' }, { stream: names.runStatusStream, durable: 'notifier-schedule-alerts' }, purge];
  }
}

/** JetStream API use of one durable pull consumer: create/update, info, pull, ack. */
function durableConsumerApi({ stream, durable }: Durable): string[] {
  return [
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

/**
 * The imports bucket (JetStream Object Store `OBJ_<bucket>`), for the gateway (puts uploads) and the
 * capture-worker (reads and deletes them): the bucket's stream (ensure, info, purge of an object's chunks,
 * message gets for object metadata), its chunk and metadata subjects, the ordered push consumers a read
 * creates (delivered to the service's own inbox) and their flow-control replies. Never its deletion.
 */
function importBucketAccess(names: JetStreamNames): string[] {
  const stream = `OBJ_${names.importBucket}`;
  return [
    ...['INFO', 'CREATE', 'UPDATE', 'PURGE', 'MSG.GET'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.FC.${stream}.>`,
    `$O.${names.importBucket}.C.>`,
    `$O.${names.importBucket}.M.>`,
  ];
}

function isWorker(service: NatsServiceUser): service is RunWorker {
  return service === 'capture-worker' || service === 'restore-worker';
}

/**
 * Each service's allow-lists for one namespace. Besides its own RPC endpoints and durables:
 * - only run-service publishes commands, run status/progress and tenant purges;
 * - only a worker publishes worker events, each under its own name (`workerEventSubject`);
 * - every service may look up, create and update the namespace's streams (each ensures them at boot),
 *   never delete or purge them;
 * - replies: a service subscribes to its own inbox only, and publishes replies through
 *   `allow_responses` (to the reply subject of a request it received), never to another inbox at will.
 */
export function natsPermissions(namespace: string): Record<NatsServiceUser, NatsUserPermissions> {
  const names = jetStreamNames(namespace);
  const streams = [names.commandStream, names.workerEventStream, names.runStatusStream, names.tenantEventStream];
  const streamApi = ['$JS.API.INFO', ...streams.flatMap((stream) => ['INFO', 'CREATE', 'UPDATE'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`))];
  const permissions = {} as Record<NatsServiceUser, NatsUserPermissions>;
  for (const service of NATS_SERVICE_USERS) {
    const publish = [...streamApi, ...durablesOf(service, names).flatMap(durableConsumerApi), ...RPC[service].calls.map(names.subject)];
    const subscribe = [`${natsInboxPrefix(service)}.>`, ...RPC[service].serves.map(names.subject)];
    if (service === 'run-service') {
      publish.push(
        ...Object.values(RUN_TYPES_REGISTRY).map((definition) => names.subject(definition.subject)),
        names.subject(`${RUN_STATUS_SUBJECT}.*`),
        names.subject(`${RUN_PROGRESS_SUBJECT}.*`),
        names.subject(`${SCHEDULE_ALERT_SUBJECT}.*`),
        names.subject(`${TENANT_PURGE_SUBJECT}.*`),
      );
    }
    if (isWorker(service)) {
      publish.push(
        ...Object.values(WorkerEventSubjects).map((event) => names.subject(workerEventSubject(event, service))),
        // The max-deliveries watcher takes an exhausted command out of the work queue (MaxDeliveriesWatcher).
        `$JS.API.STREAM.MSG.GET.${names.commandStream}`,
        `$JS.API.STREAM.MSG.DELETE.${names.commandStream}`,
      );
      subscribe.push(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names.commandStream}.${service}`);
    }
    if (service === 'gateway' || service === 'capture-worker') publish.push(...importBucketAccess(names));
    if (service === 'gateway') {
      // Live progress reads the run-status stream through ordered consumers of generated names.
      publish.push(...['CREATE', 'INFO', 'DELETE', 'MSG.NEXT'].map((verb) => `$JS.API.CONSUMER.${verb}.${names.runStatusStream}.>`));
    }
    permissions[service] = { publish: [...new Set(publish)], subscribe: [...new Set(subscribe)] };
  }
  return permissions;
}

export interface NatsAuthorizationOptions {
  /** Literal passwords (tests); without them each is read from `natsPasswordVariable(service)` by nats-server. */
  passwords?: Record<NatsServiceUser, string>;
  /** Users with every permission (operators' tools, test harnesses). */
  administrators?: { user: string; password: string }[];
}

const quoted = (value: string) => JSON.stringify(value);
const list = (values: string[], indent: string) => `[\n${values.map((value) => `${indent}  ${quoted(value)}`).join(',\n')}\n${indent}]`;

/** The nats-server `authorization { users = [...] }` block of one namespace. */
export function natsAuthorizationConfig(namespace: string, options: NatsAuthorizationOptions = {}): string {
  const permissions = natsPermissions(namespace);
  const users = NATS_SERVICE_USERS.map((service) => {
    const password = options.passwords ? quoted(options.passwords[service]) : `$${natsPasswordVariable(service)}`;
    const { publish, subscribe } = permissions[service];
    return [
      '    {',
      `      user: ${quoted(service)}`,
      `      password: ${password}`,
      '      permissions: {',
      `        publish: { allow: ${list(publish, '        ')} }`,
      `        subscribe: { allow: ${list(subscribe, '        ')} }`,
      '        allow_responses: true',
      '      }',
      '    }',
    ].join('\n');
  });
  for (const { user, password } of options.administrators ?? []) {
    users.push(`    { user: ${quoted(user)}, password: ${quoted(password)} }`);
  }
  return `# One NATS user per service of namespace "${namespace}" (libs/contracts/src/nats-authorization.ts).\nauthorization {\n  users = [\n${users.join('\n')}\n  ]\n}\n`;
}
