import { Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { getRouteApi } from '@tanstack/react-router';
import type { AuditEventView, BackupScheduleView, Tenant } from '../api/contracts';
import { may } from '../api/roles';
import { CursorPager, NEWEST_FIRST_LABELS } from '../components/cursor-pager';
import { DataTable } from '../components/data-table';
import { formatDateTime, formatDateTimeInZone } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { EmptyState, ErrorState, QueryState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { ScheduleEditor } from './schedule-editor';
import { ACTION_LABELS, describeTiming, SLOT_STATUS_COLORS } from './schedule-labels';
import { useAuditEvents, useDeleteSchedule, useSaveSchedule, useSchedule, useScheduleRuns } from './schedule-queries';
import { ScheduleStateBadge } from './schedule-state-badge';

const route = getRouteApi('/app/tenants/$tenantId/schedules/$scheduleId');

export function SchedulePage() {
  const tenant = useCurrentTenant();
  const { scheduleId } = route.useParams();
  const schedule = useSchedule(tenant.id, scheduleId);
  return <QueryState query={schedule}>{(data) => <ScheduleDetail schedule={data} tenant={tenant} />}</QueryState>;
}

function ScheduleDetail({ schedule, tenant }: { schedule: BackupScheduleView; tenant: Tenant }) {
  return (
    <Stack>
      <PageHeader
        title={schedule.name}
        badges={<ScheduleStateBadge schedule={schedule} prominent />}
        actions={may(tenant.role, 'schedules') ? <ScheduleActions schedule={schedule} tenantId={tenant.id} /> : null}
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
        <Fact label="When" value={describeTiming(schedule)} />
        <Fact label="Time zone" value={schedule.timeZone} />
        <Fact
          label="Next run"
          value={
            schedule.nextRunAt && !schedule.pausedAt
              ? `${formatDateTime(schedule.nextRunAt)} (${formatDateTimeInZone(schedule.nextRunAt, schedule.timeZone)} there)`
              : 'None while paused'
          }
        />
        <Fact label="Each run" value={ACTION_LABELS[schedule.action]} />
        <Fact label="Keeps" value={schedule.keepLast === 1 ? 'Its newest backup set' : `Its newest ${schedule.keepLast} backup sets`} />
        <Fact
          label="Backs up"
          value={`${schedule.policyTypes.length > 0 ? schedule.policyTypes.join(', ') : 'Every supported policy type'}${schedule.includeFoundations ? ', with foundations' : ''}`}
        />
      </SimpleGrid>
      <ScheduleHistory schedule={schedule} tenant={tenant} />
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={500}>{value}</Text>
    </Card>
  );
}

/** Owners only: edit, pause or resume, delete (after confirming). */
function ScheduleActions({ schedule, tenantId }: { schedule: BackupScheduleView; tenantId: string }) {
  const [editorOpen, editor] = useDisclosure(false);
  const [confirmOpen, confirm] = useDisclosure(false);
  const toggle = useSaveSchedule(tenantId, schedule.id);
  const remove = useDeleteSchedule(tenantId, schedule.id);
  const navigate = route.useNavigate();
  const deleteSchedule = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        notifications.show({ title: 'Schedule deleted', message: `${schedule.name}: its backup sets and history stay.` });
        void navigate({ to: '/tenants/$tenantId/schedules', params: { tenantId }, search: {} });
      },
    });
  return (
    <Stack gap="xs" align="end">
      <Group gap="xs">
        <Button variant="default" onClick={editor.open}>
          Edit
        </Button>
        <Button variant="default" loading={toggle.isPending} onClick={() => toggle.mutate({ enabled: !schedule.enabled })}>
          {schedule.enabled ? 'Pause' : 'Resume'}
        </Button>
        <Button color="red.9" onClick={confirm.open}>
          Delete
        </Button>
      </Group>
      {toggle.error ? <ErrorState error={toggle.error} title="Could not change the schedule" /> : null}
      <ScheduleEditor tenantId={tenantId} schedule={schedule} opened={editorOpen} onClose={editor.close} />
      <Modal opened={confirmOpen} onClose={confirm.close} title={`Delete ${schedule.name}?`}>
        <Stack>
          <Text>The schedule stops and leaves the list. The backup sets it made and its history stay.</Text>
          {remove.error ? <ErrorState error={remove.error} title="Could not delete the schedule" /> : null}
          <Group justify="end">
            <Button variant="default" onClick={confirm.close}>
              Keep it
            </Button>
            <Button color="red.9" loading={remove.isPending} onClick={deleteSchedule}>
              Delete schedule
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

interface RetentionDetails {
  keepLast?: number;
  removedBackupSetIds?: string[];
}

/** What retention did after each run, from the audit log (owners may read it): by run, and every removed set. */
function retentionByRun(events: AuditEventView[] | undefined): { byRun: Map<string, RetentionDetails>; removed: Set<string> } {
  const byRun = new Map<string, RetentionDetails>();
  const removed = new Set<string>();
  for (const event of events ?? []) {
    if (event.action !== 'backup_schedule.retention_applied' || !event.runId) continue;
    const details = event.details as RetentionDetails;
    byRun.set(event.runId, details);
    for (const id of details.removedBackupSetIds ?? []) removed.add(id);
  }
  return { byRun, removed };
}

function ScheduleHistory({ schedule, tenant }: { schedule: BackupScheduleView; tenant: Tenant }) {
  const { cursor } = route.useSearch();
  const navigate = route.useNavigate();
  const runs = useScheduleRuns(tenant.id, schedule.id, cursor);
  const readsAudit = may(tenant.role, 'audit-log');
  const audit = useAuditEvents(tenant.id, { scheduleId: schedule.id, limit: 100 }, readsAudit);
  const retention = retentionByRun(audit.data?.items);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        History
      </Title>
      <QueryState query={runs} isEmpty={(page) => page.items.length === 0} empty={<EmptyState title="No runs yet">Each run of this schedule will be listed here with its outcome.</EmptyState>}>
        {(page) => (
          <>
            <DataTable
              minWidth={720}
              rows={page.items}
              rowKey={(slot) => slot.slot}
              columns={[
                { header: 'Slot', cell: (slot) => formatDateTime(slot.slot) },
                {
                  header: 'Outcome',
                  cell: (slot) => (
                    <>
                      <Badge color={SLOT_STATUS_COLORS[slot.status]} variant="filled">
                        {slot.status}
                      </Badge>
                      {slot.reason ? (
                        <Text size="xs" c="dimmed">
                          {slot.reason}
                        </Text>
                      ) : null}
                    </>
                  ),
                },
                {
                  header: 'Run',
                  cell: (slot) =>
                    slot.runId ? (
                      <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: slot.runId }}>
                        View run
                      </AnchorLink>
                    ) : (
                      '—'
                    ),
                },
                {
                  header: 'Backup set',
                  cell: (slot) =>
                    !slot.backupSetId ? (
                      '—'
                    ) : retention.removed.has(slot.backupSetId) ? (
                      <Badge color="gray.7">removed by retention</Badge>
                    ) : (
                      <AnchorLink to="/tenants/$tenantId/backup-sets/$setId" params={{ tenantId: tenant.id, setId: slot.backupSetId }}>
                        {readsAudit && audit.data ? 'Kept' : 'View set'}
                      </AnchorLink>
                    ),
                },
                ...(readsAudit
                  ? [
                      {
                        header: 'Retention',
                        cell: (slot: (typeof page.items)[number]) => {
                          const applied = slot.runId ? retention.byRun.get(slot.runId) : undefined;
                          if (!applied) return '—';
                          const count = applied.removedBackupSetIds?.length ?? 0;
                          return `Kept the last ${applied.keepLast ?? schedule.keepLast}, removed ${count} older set${count === 1 ? '' : 's'}`;
                        },
                      },
                    ]
                  : []),
              ]}
            />
            {audit.error ? <ErrorState error={audit.error} title="Could not load what retention removed" /> : null}
            <CursorPager cursor={cursor} nextCursor={page.nextCursor} onCursor={(next) => void navigate({ search: { cursor: next } })} labels={NEWEST_FIRST_LABELS} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
