import { Badge, Button, Group, Select, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import type { FleetDriftFilter, FleetHealthFilter, FleetTenant } from '../api/contracts';
import { Role } from '../api/roles';
import { DataTable, type Column } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { EmptyState, QueryState } from '../components/query-state';
import { roleAtLeast, RUN_TYPE_LABELS } from '../runs/run-labels';
import { AddTenantButton } from '../tenants/add-tenant';
import { BulkOnboardingButton } from '../tenants/bulk-onboarding';
import { HealthBadge } from '../tenants/tenant-health';
import { useIsAdmin } from '../tenants/tenant-queries';
import { FleetBatchPanel } from './fleet-batch';
import { FleetRunButton } from './fleet-run';
import { useFleet } from './fleet-queries';
import {
  DRIFT_FILTER_LABELS,
  fleetSortState,
  hasFleetFilters,
  HEALTH_FILTER_LABELS,
  NO_BACKUP_DAYS,
  toggleFleetSort,
  type FleetSearch,
  type FleetSortKey,
} from './fleet-search';

const route = getRouteApi('/app/fleet');
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const FAILING = new Set(['failed', 'partial']);

/** Whether the user may start fleet runs (backup, drift check: operator and up) in this tenant. */
const canStart = (tenant: FleetTenant) => !tenant.disabled && roleAtLeast(tenant.role, Role.Operator);

/** Every tenant the user can see at a glance; sort, filters and page in the URL, computed by the API. */
export function FleetPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const fleet = useFleet(search);
  const isAdmin = useIsAdmin();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const setSearch = (changes: Partial<FleetSearch>) => void navigate({ search: (previous) => ({ ...previous, ...changes, cursor: undefined }) });
  const setTag = useDebouncedCallback((tag: string) => setSearch({ tag: tag.trim() || undefined }), 300);
  const anyStartable = fleet.data?.items.some(canStart) ?? false;

  const sortHeader = (key: FleetSortKey, label: string): Pick<Column<FleetTenant>, 'header' | 'headerContent' | 'sort'> => {
    const state = fleetSortState(search.sort, key);
    const Icon = state === 'ascending' ? IconArrowUp : state === 'descending' ? IconArrowDown : IconArrowsSort;
    return {
      header: label,
      sort: state,
      headerContent: (
        <UnstyledButton onClick={() => setSearch({ sort: toggleFleetSort(search.sort, key) })} fw={700} fz="sm">
          <Group gap={4} wrap="nowrap">
            {label}
            <Icon size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      ),
    };
  };

  const columns: Column<FleetTenant>[] = [
    {
      ...sortHeader('name', 'Tenant'),
      cell: (tenant) => (
        <Stack gap={2}>
          <AnchorLink to="/tenants/$tenantId/runs" params={{ tenantId: tenant.tenantId }} fw={600}>
            {tenant.displayName}
          </AnchorLink>
          <Group gap={4}>
            {tenant.disabled ? <Badge color="gray.7">removed</Badge> : null}
            {tenant.tags.map((tag) => (
              <Badge key={tag} variant="outline" size="sm" tt="none">
                {tag}
              </Badge>
            ))}
          </Group>
        </Stack>
      ),
    },
    { ...sortHeader('health', 'Health'), cell: (tenant) => <HealthBadge health={tenant.health} /> },
    {
      ...sortHeader('lastBackupAt', 'Last good backup'),
      cell: (tenant) =>
        tenant.lastSuccessfulBackup ? (
          <Stack gap={0}>
            <Text size="sm">{formatDateTime(tenant.lastSuccessfulBackup.finishedAt)}</Text>
            <Text size="xs" c="dimmed">
              {tenant.lastSuccessfulBackup.itemCount} policies
            </Text>
          </Stack>
        ) : (
          <Badge color="red.9">Never</Badge>
        ),
    },
    {
      header: 'Failing schedules',
      cell: (tenant) => {
        const failing = tenant.schedules.items.filter((schedule) => schedule.lastOutcome && FAILING.has(schedule.lastOutcome.status)).length;
        return tenant.schedules.enabled === 0 ? <Text size="sm" c="dimmed">none enabled</Text> : `${failing} of ${tenant.schedules.enabled}`;
      },
    },
    {
      ...sortHeader('lastFailedAt', 'Last failure'),
      cell: (tenant) =>
        tenant.lastFailedRun ? (
          <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.tenantId, runId: tenant.lastFailedRun.runId }} size="sm">
            {RUN_TYPE_LABELS[tenant.lastFailedRun.type] ?? tenant.lastFailedRun.type}, {formatDateTime(tenant.lastFailedRun.finishedAt)}
          </AnchorLink>
        ) : (
          '—'
        ),
    },
    {
      header: 'Drift',
      cell: (tenant) => {
        const drift = tenant.drift;
        if (!drift) return <Badge color="gray.7">Never checked</Badge>;
        const badge = <Badge color={drift.status === 'drifted' ? 'red.9' : 'teal.9'}>{drift.status === 'drifted' ? `${drift.changed + drift.removed + drift.added} drifted` : 'No drift'}</Badge>;
        return drift.reportId ? (
          <AnchorLink to="/tenants/$tenantId/drift-reports/$reportId" params={{ tenantId: tenant.tenantId, reportId: drift.reportId }} aria-label={`Drift report of ${tenant.displayName}`}>
            {badge}
          </AnchorLink>
        ) : (
          badge
        );
      },
    },
    { header: 'Active runs', cell: (tenant) => tenant.activeRuns },
  ];

  const selectedIds = [...selected];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Fleet
        </Title>
        {isAdmin ? (
          <Group gap="xs">
            <BulkOnboardingButton />
            <AddTenantButton />
          </Group>
        ) : null}
      </Group>
      <Group gap="sm" align="end">
        <Select
          label="Health"
          placeholder="Any health"
          data={options(HEALTH_FILTER_LABELS)}
          value={search.health ?? null}
          onChange={(health) => setSearch({ health: (health as FleetHealthFilter | null) ?? undefined })}
          clearable
          w={190}
        />
        <Select
          label="Drift"
          placeholder="Any drift"
          data={options(DRIFT_FILTER_LABELS)}
          value={search.drift ?? null}
          onChange={(drift) => setSearch({ drift: (drift as FleetDriftFilter | null) ?? undefined })}
          clearable
          w={170}
        />
        <Select
          label="No good backup in"
          placeholder="Any backup age"
          data={NO_BACKUP_DAYS.map((days) => ({ value: String(days), label: days === 1 ? 'the last day' : `the last ${days} days` }))}
          value={search.noBackupDays === undefined ? null : String(search.noBackupDays)}
          onChange={(days) => setSearch({ noBackupDays: days ? Number(days) : undefined })}
          clearable
          w={190}
        />
        <TextInput label="Tag" placeholder="e.g. gold" defaultValue={search.tag ?? ''} onChange={(event) => setTag(event.currentTarget.value)} w={150} />
      </Group>
      {anyStartable ? (
        <Group gap="xs" aria-label="Bulk actions" role="group">
          <Text size="sm" c="dimmed">
            {selected.size === 0 ? 'Select tenants to start runs in them.' : `${selected.size} selected`}
          </Text>
          <FleetRunButton type="backup_set.create" label="Start backup" tenantIds={selectedIds} onStarted={(batch) => { setSelected(new Set()); setSearch({ batch }); }} />
          <FleetRunButton type="drift.check" label="Check drift" tenantIds={selectedIds} onStarted={(batch) => { setSelected(new Set()); setSearch({ batch }); }} />
        </Group>
      ) : null}
      {search.batch ? <FleetBatchPanel batchId={search.batch} onClose={() => void navigate({ search: (previous) => ({ ...previous, batch: undefined }) })} /> : null}
      <QueryState
        query={fleet}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No tenants">{hasFleetFilters(search) ? 'No tenant matches these filters.' : 'You are not a member of any tenant yet.'}</EmptyState>}
      >
        {(page) => (
          <>
            <DataTable
              minWidth={960}
              rows={page.items}
              rowKey={(tenant) => tenant.tenantId}
              columns={columns}
              selection={anyStartable ? { selected, onChange: setSelected, label: (tenant) => `Select ${tenant.displayName}`, selectable: canStart } : undefined}
            />
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {page.total} tenant{page.total === 1 ? '' : 's'}
              </Text>
              <Group gap="xs">
                {search.cursor ? (
                  <Button variant="default" onClick={() => void navigate({ search: (previous) => ({ ...previous, cursor: undefined }) })}>
                    First page
                  </Button>
                ) : null}
                <Button variant="default" disabled={!page.nextCursor} onClick={() => void navigate({ search: (previous) => ({ ...previous, cursor: page.nextCursor ?? undefined }) })}>
                  Next page
                </Button>
              </Group>
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
