// The policy detail page's logic: which two versions it compares (from the URL, else the latest two), how
// versions are named, and what a capture run left behind.
import type { PolicyVersionSummary } from '../api/contracts';

export interface PolicyDetailSearch {
  /** The left side ("before"): a version id. */
  from?: string;
  /** The right side ("after"): a version id, or `run:<runId>` for the version a capture of the live policy records. */
  to?: string;
  /** A capture run started with "Capture now". */
  capture?: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const VERSION = new RegExp(`^${UUID}$`, 'i');
const VERSION_OR_RUN = new RegExp(`^(run:)?${UUID}$`, 'i');
export const RUN_PREFIX = 'run:';

const matching = (value: unknown, pattern: RegExp) => (typeof value === 'string' && pattern.test(value) ? value.toLowerCase() : undefined);

export function validatePolicyDetailSearch(search: Record<string, unknown>): PolicyDetailSearch {
  return { from: matching(search.from, VERSION), to: matching(search.to, VERSION_OR_RUN), capture: matching(search.capture, VERSION) };
}

/** The capture run a `to=run:<id>` names, if it does. */
export function liveCaptureRunId(to: string | undefined): string | undefined {
  return to?.startsWith(RUN_PREFIX) ? to.slice(RUN_PREFIX.length) : undefined;
}

/** The two sides to compare: the URL's, else the second newest against the newest; none with fewer than two versions. */
export function comparedVersions(search: PolicyDetailSearch, versions: PolicyVersionSummary[]): { from: string; to: string } | null {
  const from = search.from ?? versions[1]?.id;
  const to = search.to ?? (search.from ? versions.find((version) => version.id !== search.from)?.id : versions[0]?.id);
  if (!from || !to || from === to) return null;
  return { from, to };
}

/** Versions are numbered from the first capture (the list is newest first): "Version 3". */
export function versionLabel(versions: PolicyVersionSummary[], id: string): string {
  const index = versions.findIndex((version) => version.id === id);
  return index < 0 ? 'Version' : `Version ${versions.length - index}`;
}

/**
 * What a finished capture did: a new version when the newest one is its own, otherwise the live policy
 * was the same as a stored version (the capture found it already stored).
 */
export function captureOutcome(versions: PolicyVersionSummary[], runId: string): 'new_version' | 'unchanged' {
  return versions[0]?.capturedByRunId === runId ? 'new_version' : 'unchanged';
}
