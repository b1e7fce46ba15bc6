import { Alert, Badge, Button, Code, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect } from 'react';
import type { Page, PolicyVersionComparison, PolicyVersionSummary, PolicyView, RunView, Tenant } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { DataTable } from '../components/data-table';
import { DiffView } from '../components/diff-view';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { EmptyState, ErrorState, QueryState } from '../components/query-state';
import { isActiveStatus } from '../live/active-runs.reducer';
import { RunProgress } from '../runs/run-detail-page';
import { RunStatusBadge } from '../runs/run-status-badge';
import { may } from '../api/roles';
import { useRun, useStartRun } from '../runs/run-queries';
import { useCurrentTenant } from '../shell/tenant-layout';
import { captureOutcome, comparedVersions, liveCaptureRunId, RUN_PREFIX, versionLabel, type PolicyDetailSearch } from './policy-versions';

const route = getRouteApi('/app/tenants/$tenantId/inventory/$policyId');

function usePolicy(tenantId: string, policyId: string) {
  return useQuery({
    queryKey: queryKeys.policies.detail(tenantId, policyId),
    queryFn: ({ signal }) => api<PolicyView>(`/api/tenants/${tenantId}/policies/${policyId}`, { signal }),
  });
}

function usePolicyVersions(tenantId: string, policyId: string) {
  return useQuery({
    queryKey: queryKeys.policies.versions(tenantId, policyId),
    queryFn: ({ signal }) => api<Page<PolicyVersionSummary>>(`/api/tenants/${tenantId}/policies/${policyId}/versions${queryString({ limit: 200 })}`, { signal }),
  });
}

/** When a capture run has ended, the version list may have a new entry. */
function useRefreshVersionsWhenDone(tenantId: string, policyId: string, run: RunView | undefined) {
  const queryClient = useQueryClient();
  const ended = run !== undefined && !isActiveStatus(run.status);
  useEffect(() => {
    // The policy (its newest version) and, below its key, its version list.
    if (ended) void queryClient.invalidateQueries({ queryKey: queryKeys.policies.detail(tenantId, policyId) });
  }, [ended, queryClient, tenantId, policyId]);
}

/** A policy: its captured versions, a side-by-side diff of any two (or of one and live), and capture now. */
export function PolicyDetailPage() {
  const tenant = useCurrentTenant();
  const { policyId } = route.useParams();
  const search = route.useSearch();
  const versions = usePolicyVersions(tenant.id, policyId);
  const policy = usePolicy(tenant.id, policyId);
  const mayCapture = may(tenant.role, 'policy.capture_snapshot');
  return (
    <Stack>
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
            {policy.data?.displayName ?? 'Policy'}
          </Title>
          {policy.data?.missingSince ? (
            <Badge color="orange" variant="filled">
              not in the tenant since {formatDateTime(policy.data.missingSince)}
            </Badge>
          ) : null}
        </Group>
        {policy.data ? (
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {policy.data.policyType} · Graph id <Code>{policy.data.graphId}</Code> · first seen {formatDateTime(policy.data.firstSeenAt)} · last seen{' '}
            {formatDateTime(policy.data.lastSeenAt)}
          </Text>
        ) : null}
        {policy.error ? <ErrorState error={policy.error} /> : null}
      </Stack>
      {mayCapture ? <CaptureNow tenant={tenant} policyId={policyId} search={search} versions={versions.data?.items} /> : null}
      <QueryState
        query={versions}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No versions yet">{mayCapture ? 'Capture the policy to keep its first version.' : 'An operator can capture it.'}</EmptyState>}
      >
        {(page) => (
          <Stack>
            <VersionHistory tenant={tenant} versions={page.items} />
            <Comparison tenant={tenant} policyId={policyId} search={search} versions={page.items} mayCapture={mayCapture} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function CaptureNow({ tenant, policyId, search, versions }: { tenant: Tenant; policyId: string; search: PolicyDetailSearch; versions: PolicyVersionSummary[] | undefined }) {
  const navigate = route.useNavigate();
  const startRun = useStartRun(tenant.id);
  const run = useRun(tenant.id, search.capture);
  useRefreshVersionsWhenDone(tenant.id, policyId, run.data);
  const active = run.data !== undefined && isActiveStatus(run.data.status);
  return (
    <Stack gap="xs">
      <Group>
        <Button
          loading={startRun.isPending || active}
          onClick={() =>
            startRun.mutate(
              { type: 'policy.capture_snapshot', target: { policyId }, scope: {} },
              { onSuccess: ({ run: started }) => void navigate({ search: (previous) => ({ ...previous, capture: started.id }) }) },
            )
          }
        >
          Capture now
        </Button>
        {run.data ? (
          <Group gap="xs">
            <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: run.data.id }}>
              The capture
            </AnchorLink>
            <RunStatusBadge status={run.data.status} prominent />
          </Group>
        ) : null}
      </Group>
      {startRun.error ? <ErrorState error={startRun.error} /> : null}
      {run.error ? <ErrorState error={run.error} /> : null}
      {run.data && active ? <RunProgress run={run.data} /> : null}
      {run.data && run.data.status === 'succeeded' && versions ? (
        <Text size="sm" role="status">
          {captureOutcome(versions, run.data.id) === 'new_version' ? `Captured: ${versionLabel(versions, versions[0].id)} is new.` : 'Captured: the policy has not changed since a stored version.'}
        </Text>
      ) : null}
      {run.data && !active && run.data.status !== 'succeeded' ? <RunProgress run={run.data} /> : null}
    </Stack>
  );
}

function VersionHistory({ tenant, versions }: { tenant: Tenant; versions: PolicyVersionSummary[] }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Version history
      </Title>
      <DataTable
        rows={versions}
        rowKey={(version) => version.id}
        columns={[
          { header: 'Version', cell: (version) => versionLabel(versions, version.id) },
          { header: 'Captured', cell: (version) => formatDateTime(version.capturedAt) },
          {
            header: 'By run',
            cell: (version) => (
              <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: version.capturedByRunId }}>
                capture run
              </AnchorLink>
            ),
          },
          { header: 'Size', cell: (version) => `${(version.sizeBytes / 1024).toFixed(1)} KB` },
          { header: 'Content', cell: (version) => <Code>{version.contentHash.slice(0, 12)}</Code> },
        ]}
      />
    </Stack>
  );
}

function Comparison({ tenant, policyId, search, versions, mayCapture }: { tenant: Tenant; policyId: string; search: PolicyDetailSearch; versions: PolicyVersionSummary[]; mayCapture: boolean }) {
  const navigate = route.useNavigate();
  const sides = comparedVersions(search, versions);
  const liveRunId = liveCaptureRunId(sides?.to ?? search.to);
  const liveRun = useRun(tenant.id, liveRunId);
  useRefreshVersionsWhenDone(tenant.id, policyId, liveRun.data);
  const liveReady = liveRunId === undefined || (liveRun.data !== undefined && !isActiveStatus(liveRun.data.status));
  const comparison = useQuery({
    queryKey: queryKeys.policies.compare(tenant.id, policyId, sides?.from ?? '', sides?.to ?? ''),
    queryFn: ({ signal }) => api<PolicyVersionComparison>(`/api/tenants/${tenant.id}/policies/${policyId}/versions/compare${queryString({ from: sides?.from, to: sides?.to })}`, { signal }),
    enabled: sides !== null && liveReady,
    staleTime: Infinity,
  });
  const compareLive = useMutation({
    mutationFn: (from: string) => api<{ run: RunView }>(`/api/tenants/${tenant.id}/policies/${policyId}/versions/compare${queryString({ from, to: 'live' })}`),
    onSuccess: ({ run }, from) => void navigate({ search: (previous) => ({ ...previous, from, to: `${RUN_PREFIX}${run.id}` }) }),
  });

  const options = versions.map((version) => ({ value: version.id, label: `${versionLabel(versions, version.id)} · ${formatDateTime(version.capturedAt)}` }));
  const toOptions = liveRunId ? [...options, { value: `${RUN_PREFIX}${liveRunId}`, label: 'Live (captured for this comparison)' }] : options;
  const from = sides?.from ?? search.from ?? versions[0].id;
  const label = (side: string) => (side.startsWith(RUN_PREFIX) ? 'Live' : versionLabel(versions, side));

  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Compare
      </Title>
      <Group align="end" gap="sm">
        <Select label="From" data={options} value={from} allowDeselect={false} onChange={(value) => value && void navigate({ search: (previous) => ({ ...previous, from: value }) })} w={280} />
        <Select
          label="To"
          data={toOptions}
          value={sides?.to ?? null}
          placeholder="Pick a version"
          allowDeselect={false}
          onChange={(value) => value && void navigate({ search: (previous) => ({ ...previous, from, to: value }) })}
          w={280}
        />
        {mayCapture ? (
          <Button variant="default" loading={compareLive.isPending} onClick={() => compareLive.mutate(from)}>
            Compare with live
          </Button>
        ) : null}
      </Group>
      {compareLive.error ? <ErrorState error={compareLive.error} /> : null}
      {liveRun.data && !liveReady ? (
        <Stack gap={4}>
          <Text size="sm">Reading the live policy…</Text>
          <RunProgress run={liveRun.data} />
        </Stack>
      ) : null}
      {sides === null ? (
        <Alert color="gray" title="Nothing to compare yet">
          {versions.length < 2 ? 'There is one version: capture again after a change, or compare it with live.' : 'Pick two different versions.'}
        </Alert>
      ) : liveReady ? (
        <QueryState query={comparison}>
          {(data) => <DiffView differences={data.differences} beforeLabel={label(sides.from)} afterLabel={label(sides.to)} caption={`${label(sides.from)} → ${label(sides.to)}`} />}
        </QueryState>
      ) : null}
    </Stack>
  );
}
