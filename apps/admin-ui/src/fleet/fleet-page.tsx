import { Badge, Group, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import type { FleetTenant, RunTypeValue } from '../api/contracts';
import { may } from '../api/roles';
import { type Column } from '../components/data-table';
import { FilterRow, FilterSelect } from '../components/filter-select';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState } from '../components/query-state';
import { RUN_TYPE_LABELS } from '../runs/run-labels';
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
const options = <V extends string>(labels: Record<V, string>) => (Object.entries(labels) as [V, string][]).map(([value, label]) => ({ value, label }));
const FAILING = new Set(['failed', 'partial']);

/** The fleet's bulk actions. */
const FLEET_RUNS = [
  { type: 'backup_set.create', label: 'Start backup' },
  { type: 'drift.check', label: 'Check drift' },
] as const satisfies { type: RunTypeValue; label: string }[];

/** Whether the user may start the fleet's runs in this tenant (a removed tenant starts none). */
const canStart = (tenant: FleetTenant) => !tenant.disabled && FLEET_RUNS.every(({ type }) => may(tenant.role, type));

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
  const followBatch = (batch: string) => {
    setSelected(new Set());
    setSearch({ batch });
  };
  return (
    <Stack>
      <PageHeader
        title="Fleet"
        actions={
          isAdmin ? (
            <Group gap="xs">
              <BulkOnboardingButton />
              <AddTenantButton />
            </Group>
          ) : null
        }
      />
      <FilterRow>
        <FilterSelect label="Health" placeholder="Any health" data={options(HEALTH_FILTER_LABELS)} value={search.health} onChange={(health) => setSearch({ health })} w={190} />
        <FilterSelect label="Drift" placeholder="Any drift" data={options(DRIFT_FILTER_LABELS)} value={search.drift} onChange={(drift) => setSearch({ drift })} w={170} />
        <FilterSelect
          label="No good backup in"
          placeholder="Any backup age"
          data={NO_BACKUP_DAYS.map((days) => ({ value: String(days), label: days === 1 ? 'the last day' : `the last ${days} days` }))}
          value={search.noBackupDays === undefined ? undefined : String(search.noBackupDays)}
          onChange={(days) => setSearch({ noBackupDays: days ? Number(days) : undefined })}
          w={190}
        />
        <TextInput label="Tag" placeholder="e.g. gold" defaultValue={search.tag ?? ''} onChange={(event) => setTag(event.currentTarget.value)} w={150} />
      </FilterRow>
      {anyStartable ? (
        <Group gap="xs" aria-label="Bulk actions" role="group">
          <Text size="sm" c="dimmed">
            {selected.size === 0 ? 'Select tenants to start runs in them.' : `${selected.size} selected`}
          </Text>
          {FLEET_RUNS.map(({ type, label }) => (
            <FleetRunButton key={type} type={type} label={label} tenantIds={selectedIds} onStarted={followBatch} />
          ))}
        </Group>
      ) : null}
      {search.batch ? <FleetBatchPanel batchId={search.batch} onClose={() => void navigate({ search: (previous) => ({ ...previous, batch: undefined }) })} /> : null}
      <PagedTable
        query={fleet}
        empty={<EmptyState title="No tenants">{hasFleetFilters(search) ? 'No tenant matches these filters.' : 'You are not a member of any tenant yet.'}</EmptyState>}
        minWidth={960}
        rowKey={(tenant) => tenant.tenantId}
        columns={columns}
        selection={anyStartable ? { selected, onChange: setSelected, label: (tenant) => `Select ${tenant.displayName}`, selectable: canStart } : undefined}
        cursor={search.cursor}
        onCursor={(cursor) => void navigate({ search: (previous) => ({ ...previous, cursor }) })}
        summary={(page) => `${page.total} tenant${page.total === 1 ? '' : 's'}`}
      />
    </Stack>
  );
}
