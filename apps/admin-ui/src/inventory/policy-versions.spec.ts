import type { PolicyVersionSummary } from '../api/contracts';
import { captureOutcome, comparedVersions, liveCaptureRunId, validatePolicyDetailSearch, versionLabel } from './policy-versions';

const V1 = '0b7c3f52-8c1e-4f7e-9a51-3c2d1e0f9a01';
const V2 = '1c8d4a63-9d2f-4a8f-8b62-4d3e2f1a0b12';
const V3 = '2d9e5b74-ae30-4b90-9c73-5e4f3a2b1c23';
const RUN = '3eaf6c85-bf41-4ca1-8d84-6f5a4b3c2d34';

const version = (id: string, capturedByRunId = 'run-of-' + id): PolicyVersionSummary => ({ id, policyId: 'p', contentHash: 'h', capturedAt: '2026-12-01T10:00:00Z', capturedByRunId, sizeBytes: 1 });
/** Newest first, as the API lists them. */
const versions = [version(V3, RUN), version(V2), version(V1)];

describe('the policy detail page', () => {
  it('compares the URL’s two sides, else the second newest with the newest; nothing with one version or one side twice', () => {
    expect(comparedVersions({}, versions)).toEqual({ from: V2, to: V3 });
    expect(comparedVersions({ from: V1 }, versions)).toEqual({ from: V1, to: V3 });
    expect(comparedVersions({ from: V3 }, versions)).toEqual({ from: V3, to: V2 });
    expect(comparedVersions({ from: V1, to: `run:${RUN}` }, versions)).toEqual({ from: V1, to: `run:${RUN}` });
    expect(comparedVersions({ from: V1, to: V1 }, versions)).toBeNull();
    expect(comparedVersions({}, [version(V1)])).toBeNull();
  });

  it('numbers versions from the first capture and tells a new version from an unchanged capture', () => {
    expect(versions.map((entry) => versionLabel(versions, entry.id))).toEqual(['Version 3', 'Version 2', 'Version 1']);
    expect(captureOutcome(versions, RUN)).toBe('new_version');
    expect(captureOutcome(versions, 'another-run')).toBe('unchanged');
  });

  it('keeps only version ids, run:<id> on the right side and a run id for the capture in the URL', () => {
    expect(validatePolicyDetailSearch({ from: V1, to: `run:${RUN.toUpperCase()}`, capture: RUN })).toEqual({ from: V1, to: `run:${RUN}`, capture: RUN });
    expect(validatePolicyDetailSearch({ from: `run:${RUN}`, to: 'live', capture: 'x' })).toEqual({ from: undefined, to: undefined, capture: undefined });
    expect(liveCaptureRunId(`run:${RUN}`)).toBe(RUN);
    expect(liveCaptureRunId(V1)).toBeUndefined();
  });
});
