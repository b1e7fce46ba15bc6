import { randomBytes } from 'node:crypto';
import { SecretCipher } from '@policyvault/platform';
import { CaptureWorkerConfig } from '../capture-worker.config.js';
import type { PolicyEntity } from '../store/policy.entity.js';
import type { PolicyListEntriesRepository } from '../store/policy-list-entries.repository.js';
import { IncrementalCapture } from './incremental-capture.js';
import type { CaptureTarget } from './policy-capture.service.js';

const key = () => randomBytes(32).toString('base64');
const keys = `k1:${key()},k2:${key()}`;
const NOW = new Date('2026-12-01T12:00:00Z');
const HOUR = 3_600_000;

function incremental(settings: Partial<Pick<CaptureWorkerConfig, 'CAPTURE_FULL_READ_EVERY_RUNS' | 'CAPTURE_FULL_READ_MAX_AGE_HOURS'>> = {}, activeKey = 'k1') {
  const config = Object.assign(new CaptureWorkerConfig(), settings);
  // split() never touches the store.
  return new IncrementalCapture(config, SecretCipher.fromConfiguration(keys, activeKey), {} as PolicyListEntriesRepository);
}

const assignments = [{ id: 'g1_a1', target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'group-1' } }];
const listed = { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: 'g1', displayName: 'Baseline', lastModifiedDateTime: '2026-11-30T08:00:00Z', version: 3, assignments };

/** A policy whose last complete read started from `entry` and stored its latest version. */
function policyReadFrom(capture: IncrementalCapture, entry: Record<string, unknown>, overrides: Partial<PolicyEntity> = {}): PolicyEntity {
  return {
    id: 'p1',
    tenantId: 't1',
    policyType: 'deviceConfiguration',
    graphId: 'g1',
    displayName: 'Baseline',
    firstSeenAt: NOW,
    lastSeenAt: NOW,
    missingSince: null,
    latestVersionId: 'v1',
    listEntryHash: capture.listEntryHash(entry),
    listEntryVersionId: 'v1',
    fullReadAt: new Date(NOW.getTime() - HOUR),
    reusedSinceFullRead: 0,
    ...overrides,
  };
}

const decide = (capture: IncrementalCapture, target: CaptureTarget) => (capture.split([target], NOW).reuse.length === 1 ? 'reuse' : 'read');

describe('IncrementalCapture.split', () => {
  const capture = incremental();

  it('reuses the version of an unchanged list entry and reads every other', () => {
    expect(decide(capture, { policy: policyReadFrom(capture, listed), listed: { ...listed } })).toBe('reuse');
    // Any property of the entry, the stamp, the version counter; a different version now latest; no listing.
    expect(decide(capture, { policy: policyReadFrom(capture, listed), listed: { ...listed, displayName: 'Baseline (2)' } })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, listed), listed: { ...listed, lastModifiedDateTime: '2026-12-01T09:00:00Z' } })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, listed), listed: { ...listed, version: 4 } })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, listed, { latestVersionId: 'v2' }), listed: { ...listed } })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, listed) })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, listed, { listEntryHash: null, listEntryVersionId: null }), listed: { ...listed } })).toBe('read');
    // OData annotations are not content.
    expect(decide(capture, { policy: policyReadFrom(capture, listed), listed: { ...listed, '@odata.etag': 'W/"2"' } })).toBe('reuse');
  });

  it('reads an entry without lastModifiedDateTime, and every object of a type that opts out', () => {
    const { lastModifiedDateTime: _stamp, ...unstamped } = listed;
    expect(decide(capture, { policy: policyReadFrom(capture, unstamped), listed: { ...unstamped } })).toBe('read');
    // Scope tags opt out (reuseUnchangedListing: false), even with a stamp.
    const tag = { id: '1', displayName: 'Paris', lastModifiedDateTime: '2026-11-30T08:00:00Z' };
    expect(decide(capture, { policy: policyReadFrom(capture, tag, { policyType: 'scopeTag' }), listed: { ...tag } })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, listed, { policyType: 'notARegisteredType' }), listed: { ...listed } })).toBe('read');
  });

  it('reads an entry that does not show its assignments, and every mobile app (their listing may not expand them)', () => {
    // Assignments move no stamp: the entry must show them (the listing's $expand), or the object is read.
    expect(decide(capture, { policy: policyReadFrom(capture, listed), listed: { ...listed, assignments: [] } })).toBe('read');
    const { assignments: _assignments, ...bare } = listed;
    expect(decide(capture, { policy: policyReadFrom(capture, bare), listed: { ...bare } })).toBe('read');
    // Graph deprecates listing mobile apps with $expand=assignments: never reused, with or without them.
    const app = { '@odata.type': '#microsoft.graph.win32LobApp', id: 'app1', displayName: 'Agent', lastModifiedDateTime: '2026-11-30T08:00:00Z' };
    expect(decide(capture, { policy: policyReadFrom(capture, app, { policyType: 'mobileApp' }), listed: { ...app } })).toBe('read');
    expect(decide(capture, { policy: policyReadFrom(capture, { ...app, assignments }, { policyType: 'mobileApp' }), listed: { ...app, assignments } })).toBe('read');
    // A type that reads its assignments with the object (expanded) or has none needs none in the entry.
    const category = { id: 'c1', displayName: 'Tools', lastModifiedDateTime: '2026-11-30T08:00:00Z' };
    expect(decide(capture, { policy: policyReadFrom(capture, category, { policyType: 'mobileAppCategory' }), listed: { ...category } })).toBe('reuse');
  });

  it('reads completely every N-th run and once the last complete read is too old', () => {
    const everyThird = incremental({ CAPTURE_FULL_READ_EVERY_RUNS: 3, CAPTURE_FULL_READ_MAX_AGE_HOURS: 24 });
    const after = (reused: number, hoursAgo = 1) => decide(everyThird, { policy: policyReadFrom(everyThird, listed, { reusedSinceFullRead: reused, fullReadAt: new Date(NOW.getTime() - hoursAgo * HOUR) }), listed: { ...listed } });
    expect([after(0), after(1), after(2)]).toEqual(['reuse', 'reuse', 'read']);
    expect([after(0, 23.9), after(0, 24)]).toEqual(['reuse', 'read']);
    const off = incremental({ CAPTURE_FULL_READ_EVERY_RUNS: 1 });
    expect(decide(off, { policy: policyReadFrom(off, listed), listed: { ...listed } })).toBe('read');
  });

  it('a new active secret key reads everything again (secrets re-encrypted)', () => {
    const rotated = incremental({}, 'k2');
    expect(decide(rotated, { policy: policyReadFrom(capture, listed), listed: { ...listed } })).toBe('read');
    expect(decide(rotated, { policy: policyReadFrom(rotated, listed), listed: { ...listed } })).toBe('reuse');
  });

  it('sets the list entry hash on every listed target (recorded by its complete read)', () => {
    const target: CaptureTarget = { policy: policyReadFrom(capture, listed, { listEntryHash: null }), listed: { ...listed } };
    capture.split([target], NOW);
    expect(target.listEntryHash).toBe(capture.listEntryHash(listed));
  });
});
