import { Outcome } from '../jetstream/handler-outcome.js';
import { bindEventHandlers, type DiscoveredEventHandler } from './event-handler.registry.js';
import { subjectMatches } from './subject-matches.js';

class StartedEvent {}
class FinishedEvent {}

const instance = { handle: async () => Outcome.done() };
const handler = (name: string, subject: string, message: new () => object = StartedEvent): DiscoveredEventHandler => ({ name, subject, message, instance });

const CONSUMER = {
  durable: 'run-service',
  filterSubject: 'pv.evt.worker.>',
  subjects: ['evt.worker.started.v1', 'evt.worker.finished.v1'],
  subject: (suffix: string) => `pv.${suffix}`,
};
const DECLARED = new Set(CONSUMER.subjects);

describe('bindEventHandlers (the event consumer boot check)', () => {
  it('binds one handler per declared subject, on the wire subject', () => {
    const bound = bindEventHandlers(CONSUMER, DECLARED, [
      handler('StartedHandler', 'evt.worker.started.v1'),
      handler('FinishedHandler', 'evt.worker.finished.v1', FinishedEvent),
    ]);
    expect(bound.map(({ subject, wireSubject, message }) => ({ subject, wireSubject, message }))).toEqual([
      { subject: 'evt.worker.started.v1', wireSubject: 'pv.evt.worker.started.v1', message: StartedEvent },
      { subject: 'evt.worker.finished.v1', wireSubject: 'pv.evt.worker.finished.v1', message: FinishedEvent },
    ]);
  });

  it('refuses to boot when a declared subject has no handler', () => {
    expect(() => bindEventHandlers(CONSUMER, DECLARED, [handler('StartedHandler', 'evt.worker.started.v1')])).toThrow(
      'event handlers of consumer run-service are inconsistent: evt.worker.finished.v1 has no handler',
    );
  });

  it('refuses to boot when a subject has two handlers', () => {
    expect(() =>
      bindEventHandlers(CONSUMER, DECLARED, [
        handler('StartedHandler', 'evt.worker.started.v1'),
        handler('OtherStartedHandler', 'evt.worker.started.v1'),
        handler('FinishedHandler', 'evt.worker.finished.v1'),
      ]),
    ).toThrow('evt.worker.started.v1 has more than one handler (OtherStartedHandler)');
  });

  it('refuses to boot when a handler listens to a subject no consumer reads', () => {
    expect(() =>
      bindEventHandlers(CONSUMER, DECLARED, [
        handler('StartedHandler', 'evt.worker.started.v1'),
        handler('FinishedHandler', 'evt.worker.finished.v1'),
        handler('ForgottenHandler', 'evt.worker.forgotten.v1'),
      ]),
    ).toThrow('ForgottenHandler handles evt.worker.forgotten.v1, which no consumer reads');
  });

  it("leaves another consumer's handlers to that consumer", () => {
    const declared = new Set([...CONSUMER.subjects, 'evt.run.status.v1.>']);
    const bound = bindEventHandlers(CONSUMER, declared, [
      handler('StartedHandler', 'evt.worker.started.v1'),
      handler('FinishedHandler', 'evt.worker.finished.v1'),
      handler('StatusHandler', 'evt.run.status.v1.>'),
    ]);
    expect(bound).toHaveLength(2);
  });

  it('refuses a declared subject outside the consumer filter (it would never arrive)', () => {
    const consumer = { ...CONSUMER, subjects: ['evt.run.status.v1.>'] };
    expect(() => bindEventHandlers(consumer, new Set(consumer.subjects), [handler('StatusHandler', 'evt.run.status.v1.>')])).toThrow(
      'evt.run.status.v1.> is outside the filter pv.evt.worker.>',
    );
  });
});

describe('subjectMatches', () => {
  it.each([
    ['pv.evt.worker.>', 'pv.evt.worker.run-started.v1', true],
    ['pv.evt.run.status.v1.>', 'pv.evt.run.status.v1.8f2c', true],
    ['pv.evt.run.status.v1.>', 'pv.evt.run.status.v1.>', true],
    ['pv.evt.run.status.v1.>', 'pv.evt.run.status.v1', false],
    ['pv.evt.run.*.v1.t1', 'pv.evt.run.progress.v1.t1', true],
    ['pv.evt.run.*.v1.t1', 'pv.evt.run.progress.v1.t2', false],
    ['pv.evt.worker.run-started.v1', 'pv.evt.worker.run-started.v1', true],
    ['pv.evt.worker.run-started.v1', 'pv.evt.worker.run-started.v1.x', false],
    ['pv.evt.worker.run-started.v1', 'pv.evt.worker.run-finished.v1', false],
  ])('%s covers %s: %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});
