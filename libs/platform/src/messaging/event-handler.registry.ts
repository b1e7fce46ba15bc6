import type { EventHandlerMetadata, JetStreamEventHandler } from './event-handler.decorator.js';
import { subjectMatches } from './subject-matches.js';

export interface DiscoveredEventHandler extends EventHandlerMetadata {
  /** The provider's name, for boot errors. */
  name: string;
  instance: JetStreamEventHandler;
}

export interface RegisteredEventHandler extends EventHandlerMetadata {
  /** The subject pattern on the wire (with namespace). */
  wireSubject: string;
  instance: JetStreamEventHandler;
}

/**
 * The boot check of one consumer: every subject it declares has exactly one handler, every handler
 * is read by some consumer of the service (`allDeclaredSubjects`), and the declared subjects fall under
 * the consumer's filter. A missing or stray handler stops the service instead of dropping events.
 */
export function bindEventHandlers(
  consumer: { durable: string; filterSubject: string; subjects: readonly string[]; subject: (suffix: string) => string },
  allDeclaredSubjects: ReadonlySet<string>,
  discovered: DiscoveredEventHandler[],
): RegisteredEventHandler[] {
  const problems: string[] = [];
  const bound = new Map<string, RegisteredEventHandler>();
  for (const handler of discovered) {
    if (!allDeclaredSubjects.has(handler.subject)) {
      problems.push(`${handler.name} handles ${handler.subject}, which no consumer reads`);
    } else if (consumer.subjects.includes(handler.subject)) {
      if (bound.has(handler.subject)) problems.push(`${handler.subject} has more than one handler (${handler.name})`);
      else bound.set(handler.subject, { ...handler, wireSubject: consumer.subject(handler.subject) });
    }
  }
  for (const subject of consumer.subjects) {
    if (!bound.has(subject)) problems.push(`${subject} has no handler`);
    if (!subjectMatches(consumer.filterSubject, consumer.subject(subject))) problems.push(`${subject} is outside the filter ${consumer.filterSubject}`);
  }
  if (problems.length > 0) throw new Error(`event handlers of consumer ${consumer.durable} are inconsistent: ${problems.join('; ')}`);
  return [...bound.values()];
}
