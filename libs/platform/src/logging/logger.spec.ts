import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACTED_LOG_PATHS } from './logger.js';

/** What a logger with the services' redaction writes. */
function written(log: (logger: pino.Logger) => void): string {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  log(pino({ redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, sink));
  return lines.join('');
}

describe('log redaction', () => {
  it('never writes NATS credentials: connection options (`pass`) or NATS_PASSWORD, at the top or one level down', () => {
    const text = written((logger) => {
      logger.info({ pass: 'nats-pass-top', NATS_PASSWORD: 'nats-password-top' }, 'connecting');
      logger.info({ options: { user: 'capture-worker', pass: 'nats-pass-nested' }, config: { NATS_USER: 'capture-worker', NATS_PASSWORD: 'nats-password-nested' } }, 'connecting');
    });
    for (const secret of ['nats-pass-top', 'nats-password-top', 'nats-pass-nested', 'nats-password-nested']) expect(text).not.toContain(secret);
    expect(text).toContain('capture-worker');
    expect(text.match(/\[redacted\]/g)).toHaveLength(4);
  });
});
