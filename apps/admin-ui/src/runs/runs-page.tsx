import { Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { getRouteApi } from '@tanstack/react-router';
import { AnchorLink } from '../components/links';
import type { RunStatusValue, RunTypeValue } from '../api/contracts';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { EmptyState, ErrorState, QueryState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { roleAtLeast, RUN_STATUS_COLORS, RUN_TYPE_LABELS } from './run-labels';
import { useRuns, useStartRun } from './run-queries';
import { Role } from '../api/roles';
import type { RunListFilters } from '../api/query-keys';
import { RUN_PERIOD_OPTIONS } from './run-periods';

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
  const setFilter = (changes: Partial<RunsSearch>) => void navigate({ search: (previous) => ({ ...previous, ...changes, cursor: undefined }) });
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
      <Group justify="space-between">
        <Title order={1} size="h2">
          Runs
        </Title>
        {roleAtLeast(tenant.role, Role.Operator) ? (
          <Button onClick={sync} loading={startRun.isPending}>
            Sync inventory
          </Button>
        ) : null}
      </Group>
      {startRun.error ? <ErrorState error={startRun.error} /> : null}
      <Group gap="sm" align="end">
        <Select label="Status" placeholder="Any status" data={STATUS_OPTIONS} value={search.status ?? null} onChange={(status) => setFilter({ status: status ?? undefined })} clearable w={160} />
        <Select label="Type" placeholder="Any type" data={TYPE_OPTIONS} value={search.type ?? null} onChange={(type) => setFilter({ type: type ?? undefined })} clearable w={200} />
        <Select label="Queued" placeholder="Any time" data={RUN_PERIOD_OPTIONS} value={search.period ?? null} onChange={(period) => setFilter({ period: period ?? undefined })} clearable w={170} />
        <TextInput
          label="Started by"
          type="email"
          placeholder="name@example.com"
          defaultValue={search.initiator ?? ''}
          onChange={(event) => setInitiator(event.currentTarget.value.trim() || undefined)}
          w={240}
        />
      </Group>
      <QueryState
        query={runs}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No runs">{search.status || search.type ? 'No run matches these filters.' : 'Nothing has run in this tenant yet.'}</EmptyState>}
      >
        {(page) => (
          <>
            <DataTable
              minWidth={640}
              rows={page.items}
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
                {
                  header: 'Status',
                  cell: (run) => (
                    <Badge color={RUN_STATUS_COLORS[run.status]} variant="filled">
                      {run.status}
                    </Badge>
                  ),
                },
                { header: 'Items', cell: (run) => `${run.counts.succeeded + run.counts.failed + run.counts.skipped} / ${run.counts.total}` },
                { header: 'Started by', cell: (run) => run.initiator.email },
                { header: 'Queued', cell: (run) => formatDateTime(run.queuedAt) },
              ]}
            />
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {search.cursor ? 'Older runs' : 'Newest first'}
              </Text>
              <Group gap="xs">
                {search.cursor ? (
                  <Button variant="default" onClick={() => void navigate({ search: (previous) => ({ ...previous, cursor: undefined }) })}>
                    Newest
                  </Button>
                ) : null}
                <Button variant="default" disabled={!page.nextCursor} onClick={() => void navigate({ search: (previous) => ({ ...previous, cursor: page.nextCursor ?? undefined }) })}>
                  Older
                </Button>
              </Group>
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
