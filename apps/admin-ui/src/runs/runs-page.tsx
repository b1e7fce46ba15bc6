import { Button, Stack, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { getRouteApi } from '@tanstack/react-router';
import type { RunStatusValue, RunTypeValue } from '../api/contracts';
import { may } from '../api/roles';
import { NEWEST_FIRST_LABELS } from '../components/cursor-pager';
import { FilterRow, FilterSelect } from '../components/filter-select';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState, ErrorState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { RUN_STATUS_COLORS, RUN_TYPE_LABELS } from './run-labels';
import { useRuns, useStartRun } from './run-queries';
import type { RunListFilters } from '../api/query-keys';
import { RUN_PERIOD_OPTIONS } from './run-periods';
import { RunStatusBadge } from './run-status-badge';

export type RunsSearch = RunListFilters;

const route = getRouteApi('/app/tenants/$tenantId/runs');
const STATUS_OPTIONS = (Object.keys(RUN_STATUS_COLORS) as RunStatusValue[]).map((status) => ({ value: status, label: status }));
const TYPE_OPTIONS = (Object.entries(RUN_TYPE_LABELS) as [RunTypeValue, string][]).map(([value, label]) => ({ value, label }));

export function RunsPage() {
  const tenant = useCurrentTenant();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const runs = useRuns(tenant.id, search);
  const startRun = useStartRun(tenant.id);
  const setSearch = (changes: Partial<RunsSearch>) => void navigate({ search: (previous) => ({ ...previous, ...changes }) });
  const setFilter = (changes: Partial<RunsSearch>) => setSearch({ ...changes, cursor: undefined });
  // An address is typed a letter at a time: the list follows once typing pauses.
  const setInitiator = useDebouncedCallback((initiator: string | undefined) => setFilter({ initiator }), 400);

  const sync = () =>
    startRun.mutate(
      { type: 'inventory.sync', target: {}, scope: {} },
      {
        onSuccess: ({ run, reused }) =>
          notifications.show({ title: reused ? 'A sync is already running' : 'Inventory sync started', message: `Run ${run.id.slice(0, 8)}` }),
      },
    );

  return (
    <Stack>
      <PageHeader
        title="Runs"
        actions={
          may(tenant.role, 'inventory.sync') ? (
            <Button onClick={sync} loading={startRun.isPending}>
              Sync inventory
            </Button>
          ) : null
        }
      />
      {startRun.error ? <ErrorState error={startRun.error} /> : null}
      <FilterRow>
        <FilterSelect label="Status" placeholder="Any status" data={STATUS_OPTIONS} value={search.status} onChange={(status) => setFilter({ status })} w={160} />
        <FilterSelect label="Type" placeholder="Any type" data={TYPE_OPTIONS} value={search.type} onChange={(type) => setFilter({ type })} w={200} />
        <FilterSelect label="Queued" placeholder="Any time" data={RUN_PERIOD_OPTIONS} value={search.period} onChange={(period) => setFilter({ period })} w={170} />
        <TextInput
          label="Started by"
          type="email"
          placeholder="name@example.com"
          defaultValue={search.initiator ?? ''}
          onChange={(event) => setInitiator(event.currentTarget.value.trim() || undefined)}
          w={240}
        />
      </FilterRow>
      <PagedTable
        query={runs}
        empty={<EmptyState title="No runs">{search.status || search.type || search.initiator || search.period ? 'No run matches these filters.' : 'Nothing has run in this tenant yet.'}</EmptyState>}
        minWidth={640}
        rowKey={(run) => run.id}
        columns={[
          {
            header: 'Type',
            cell: (run) => (
              <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: run.id }}>
                {RUN_TYPE_LABELS[run.type] ?? run.type}
              </AnchorLink>
            ),
          },
          { header: 'Status', cell: (run) => <RunStatusBadge status={run.status} /> },
          { header: 'Items', cell: (run) => `${run.counts.succeeded + run.counts.failed + run.counts.skipped} / ${run.counts.total}` },
          { header: 'Started by', cell: (run) => run.initiator.email },
          { header: 'Queued', cell: (run) => formatDateTime(run.queuedAt) },
        ]}
        cursor={search.cursor}
        onCursor={(cursor) => setSearch({ cursor })}
        labels={NEWEST_FIRST_LABELS}
        summary={() => (search.cursor ? 'Older runs' : 'Newest first')}
      />
    </Stack>
  );
}
