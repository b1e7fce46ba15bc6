import { Button, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { getRouteApi } from '@tanstack/react-router';
import { may } from '../api/roles';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { ScheduleEditor } from './schedule-editor';
import { describeTiming } from './schedule-labels';
import { ScheduleStateBadge } from './schedule-state-badge';
import { useSchedules } from './schedule-queries';

const route = getRouteApi('/app/tenants/$tenantId/schedules');

export function SchedulesPage() {
  const tenant = useCurrentTenant();
  const { cursor } = route.useSearch();
  const navigate = route.useNavigate();
  const schedules = useSchedules(tenant.id, cursor);
  const [editorOpen, editor] = useDisclosure(false);
  const manage = may(tenant.role, 'schedules');
  return (
    <Stack>
      <PageHeader title="Schedules" actions={manage ? <Button onClick={editor.open}>New schedule</Button> : null} />
      {manage ? <ScheduleEditor tenantId={tenant.id} opened={editorOpen} onClose={editor.close} /> : null}
      <PagedTable
        query={schedules}
        empty={<EmptyState title="No schedules">{manage ? 'Create one to back this tenant up on a timetable.' : 'An owner of the tenant can create one.'}</EmptyState>}
        minWidth={640}
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
          { header: 'State', cell: (schedule) => <ScheduleStateBadge schedule={schedule} /> },
        ]}
        cursor={cursor}
        onCursor={(next) => void navigate({ search: { cursor: next } })}
      />
    </Stack>
  );
}
