// The NATS server's authorization in deploy/nats/ is what the one generator (libs/contracts'
// natsAuthorizationConfig) makes of the subjects today, and its allow-lists hold the rules that matter:
// only run-service sends commands and run status, only workers send worker events, each under its name.
import { readFileSync } from 'node:fs';
import { DEFAULT_NATS_NAMESPACE, natsAuthorizationConfig, natsPermissions } from '@policyvault/contracts';

describe('NATS authorization (deploy/nats/authorization.conf)', () => {
  it('is the generator’s output for the default namespace (regenerate: npm run build && node tools/scripts/nats-config.mjs)', () => {
    expect(readFileSync('deploy/nats/authorization.conf', 'utf8')).toBe(natsAuthorizationConfig(DEFAULT_NATS_NAMESPACE));
  });

  it('keeps passwords out of the file: each is a variable nats-server reads from its environment', () => {
    const text = readFileSync('deploy/nats/authorization.conf', 'utf8');
    expect(text.match(/password: .*/g)).toEqual([
      'password: $NATS_PASSWORD_GATEWAY',
      'password: $NATS_PASSWORD_RUN_SERVICE',
      'password: $NATS_PASSWORD_CAPTURE_WORKER',
      'password: $NATS_PASSWORD_RESTORE_WORKER',
      'password: $NATS_PASSWORD_NOTIFIER',
    ]);
  });

  it('lets only run-service publish commands and run events, and each worker only its own worker events', () => {
    const permissions = natsPermissions('pv');
    const publishers = (pattern: RegExp) =>
      Object.entries(permissions)
        .filter(([, allowed]) => allowed.publish.some((subject) => pattern.test(subject)))
        .map(([service]) => service);
    expect(publishers(/^pv\.cmd\./)).toEqual(['run-service']);
    expect(publishers(/^pv\.evt\.run\./)).toEqual(['run-service']);
    expect(publishers(/^pv\.evt\.tenant\./)).toEqual(['run-service']);
    expect(publishers(/^pv\.evt\.worker\..*\.capture-worker$/)).toEqual(['capture-worker']);
    expect(publishers(/^pv\.evt\.worker\..*\.restore-worker$/)).toEqual(['restore-worker']);
    expect(publishers(/^pv\.evt\.worker\./)).toEqual(['capture-worker', 'restore-worker']);
    // No wildcard publish on the namespace, no inbox but one's own, no stream deletion or purge — except the purge
    // of the imports bucket (JetStream Object Store), which is how an object's chunks are deleted (gateway, capture-worker).
    const objectChunkPurge = '$JS.API.STREAM.PURGE.OBJ_PV_IMPORTS';
    for (const [service, allowed] of Object.entries(permissions)) {
      const wide = allowed.publish.filter((subject) => subject === '>' || subject === 'pv.>' || subject.startsWith('_INBOX') || /STREAM\.(DELETE|PURGE)/.test(subject));
      expect({ service, wide }).toEqual({ service, wide: service === 'gateway' || service === 'capture-worker' ? [objectChunkPurge] : [] });
      expect({ service, inboxes: allowed.subscribe.filter((subject) => subject.startsWith('_INBOX')) }).toEqual({ service, inboxes: [`_INBOX.${service}.>`] });
    }
  });
});
