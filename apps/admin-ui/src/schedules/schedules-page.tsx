import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { getRouteApi } from '@tanstack/react-router';
import type { TenantRoleValue } from '../api/contracts';
import { Role } from '../api/roles';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { EmptyState, QueryState } from '../components/query-state';
import { roleAtLeast } from '../runs/run-labels';
import { useCurrentTenant } from '../shell/tenant-layout';
import { ScheduleEditor } from './schedule-editor';
import { describeTiming, scheduleState } from './schedule-labels';
import { useSchedules } from './schedule-queries';

const route = getRouteApi('/app/tenants/$tenantId/schedules');

/** The gateway's rule: owners create, change and delete schedules; every member reads them. */
export const mayManageSchedules = (role: TenantRoleValue) => roleAtLeast(role, Role.Owner);

export function SchedulesPage() {
  const tenant = useCurrentTenant();
  const { cursor } = route.useSearch();
  const navigate = route.useNavigate();
  const schedules = useSchedules(tenant.id, cursor);
  const [editorOpen, editor] = useDisclosure(false);
  const manage = mayManageSchedules(tenant.role);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Schedules
        </Title>
        {manage ? <Button onClick={editor.open}>New schedule</Button> : null}
      </Group>
      {manage ? <ScheduleEditor tenantId={tenant.id} opened={editorOpen} onClose={editor.close} /> : null}
      <QueryState
        query={schedules}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No schedules">{manage ? 'Create one to back this tenant up on a timetable.' : 'An owner of the tenant can create one.'}</EmptyState>}
      >
        {(page) => (
          <>
            <DataTable
              minWidth={640}
              rows={page.items}
              rowKey={(schedule) => schedule.id}
              columns={[
                {
                  header: 'Name',
                  cell: (schedule) => (
                    <AnchorLink to="/tenants/$tenantId/schedules/$scheduleId" params={{ tenantId: tenant.id, scheduleId: schedule.id }}>
                      {schedule.name}
                    </AnchorLink>
                  ),
                },
                {
                  header: 'When',
                  cell: (schedule) => (
                    <>
                      {describeTiming(schedule)}
                      <Text size="xs" c="dimmed">
                        {schedule.timeZone}
                      </Text>
                    </>
                  ),
                },
                { header: 'Next run', cell: (schedule) => (schedule.enabled && !schedule.pausedAt ? formatDateTime(schedule.nextRunAt) : '—') },
                { header: 'Keeps', cell: (schedule) => `${schedule.keepLast} backup sets` },
                {
                  header: 'State',
                  cell: (schedule) => {
                    const state = scheduleState(schedule);
                    return (
                      <Badge color={state.color} variant="filled">
                        {state.label}
                      </Badge>
                    );
                  },
                },
              ]}
            />
            <Group justify="end" gap="xs">
              {cursor ? (
                <Button variant="default" onClick={() => void navigate({ search: {} })}>
                  First page
                </Button>
              ) : null}
              <Button variant="default" disabled={!page.nextCursor} onClick={() => void navigate({ search: { cursor: page.nextCursor ?? undefined } })}>
                Next page
              </Button>
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
