import { Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import type { AuditEventView } from '../api/contracts';
import { may } from '../api/roles';
import { NEWEST_FIRST_LABELS } from '../components/cursor-pager';
import { FilterRow, FilterSelect } from '../components/filter-select';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState, ForbiddenState } from '../components/query-state';
import { useAuditEvents, useSchedules } from '../schedules/schedule-queries';
import { useCurrentTenant } from '../shell/tenant-layout';

export interface AuditLogSearch {
  scheduleId?: string;
  runId?: string;
  cursor?: string;
}

const route = getRouteApi('/app/tenants/$tenantId/audit-log');

/** `key: value` for each detail, lists as their length: a line to scan, the whole event is in the API. */
export function summarizeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => {
      if (Array.isArray(value)) return `${key}: ${value.length}`;
      if (value !== null && typeof value === 'object') return `${key}: {…}`;
      return `${key}: ${String(value)}`;
    })
    .join(' · ');
}

export function AuditLogPage() {
  const tenant = useCurrentTenant();
  if (!may(tenant.role, 'audit-log')) return <ForbiddenState message="Only owners of the tenant read its audit log." />;
  return <AuditLog tenantId={tenant.id} />;
}

function AuditLog({ tenantId }: { tenantId: string }) {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const events = useAuditEvents(tenantId, search);
  const schedules = useSchedules(tenantId, undefined, 100);
  const [runId, setRunId] = useState(search.runId ?? '');
  const setSearch = (changes: Partial<AuditLogSearch>) => void navigate({ search: (previous) => ({ ...previous, ...changes }) });
  const setFilter = (changes: Partial<AuditLogSearch>) => setSearch({ ...changes, cursor: undefined });
  const applyRunId = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ runId: runId.trim() || undefined });
  };
  const scheduleNames = new Map((schedules.data?.items ?? []).map((schedule) => [schedule.id, schedule.name]));
  const filtered = Boolean(search.runId || search.scheduleId);

  return (
    <Stack>
      <PageHeader title="Audit log" />
      <FilterRow>
        <FilterSelect
          label="Schedule"
          placeholder="Any schedule"
          data={(schedules.data?.items ?? []).map((schedule) => ({ value: schedule.id, label: schedule.name }))}
          value={search.scheduleId}
          onChange={(scheduleId) => setFilter({ scheduleId })}
          searchable
          w={220}
        />
        <form onSubmit={applyRunId}>
          <Group gap="xs" align="end">
            <TextInput label="Run id" placeholder="Any run" value={runId} onChange={(event) => setRunId(event.currentTarget.value)} w={320} />
            <Button type="submit" variant="default">
              Filter
            </Button>
          </Group>
        </form>
      </FilterRow>
      <PagedTable
        query={events}
        empty={<EmptyState title="No audit events">{filtered ? 'No event matches these filters.' : 'Nothing audited has happened in this tenant yet.'}</EmptyState>}
        minWidth={820}
        rowKey={(event) => event.id}
        columns={[
          { header: 'When', cell: (event) => formatDateTime(event.occurredAt) },
          { header: 'Who', cell: (event) => event.actor },
          { header: 'What', cell: (event) => <Code>{event.action}</Code> },
          { header: 'About', cell: (event) => <EventSubject event={event} tenantId={tenantId} scheduleName={event.scheduleId ? scheduleNames.get(event.scheduleId) : undefined} /> },
          {
            header: 'Details',
            cell: (event) => (
              <Text size="xs" style={{ wordBreak: 'break-word' }}>
                {summarizeDetails(event.details)}
              </Text>
            ),
          },
        ]}
        cursor={search.cursor}
        onCursor={(cursor) => setSearch({ cursor })}
        labels={NEWEST_FIRST_LABELS}
        summary={() => (search.cursor ? 'Older events' : 'Newest first')}
      />
    </Stack>
  );
}

/** The event's run and schedule, as links (a schedule by name while it is listed). */
function EventSubject({ event, tenantId, scheduleName }: { event: AuditEventView; tenantId: string; scheduleName?: string }) {
  if (!event.runId && !event.scheduleId) return <>—</>;
  return (
    <Stack gap={2}>
      {event.runId ? (
        <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId, runId: event.runId }} size="sm">
          View run
        </AnchorLink>
      ) : null}
      {event.scheduleId ? (
        <AnchorLink to="/tenants/$tenantId/schedules/$scheduleId" params={{ tenantId, scheduleId: event.scheduleId }} size="sm">
          {scheduleName ? `Schedule ${scheduleName}` : 'Schedule'}
        </AnchorLink>
      ) : null}
    </Stack>
  );
}
