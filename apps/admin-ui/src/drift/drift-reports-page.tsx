import { Badge, Button, Stack, Text } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import type { DriftReportView } from '../api/contracts';
import { queryKeys } from '../api/query-keys';
import { may } from '../api/roles';
import { NEWEST_FIRST_LABELS } from '../components/cursor-pager';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { PagedTable } from '../components/paged-table';
import { EmptyState, ErrorState } from '../components/query-state';
import { useLatestRun } from '../runs/latest-run';
import { useStartRun } from '../runs/run-queries';
import { useCurrentTenant } from '../shell/tenant-layout';
import { driftSummary, useDriftReports } from './drift-queries';

const route = getRouteApi('/app/tenants/$tenantId/drift-reports');

export function DriftStatusBadge({ report }: { report: Pick<DriftReportView, 'state' | 'driftStatus' | 'counts'> }) {
  if (report.state === 'running') return <Badge color="blue.8">comparing</Badge>;
  return report.driftStatus === 'drifted' ? <Badge color="red.9">{driftSummary(report.counts)}</Badge> : <Badge color="teal.9">No drift</Badge>;
}

/** The tenant's drift reports (the live tenant compared with a baseline backup), and a drift check for operators. */
export function DriftReportsPage() {
  const tenant = useCurrentTenant();
  const { cursor } = route.useSearch();
  const navigate = route.useNavigate();
  const reports = useDriftReports(tenant.id, cursor);
  const startRun = useStartRun(tenant.id);
  const { active } = useLatestRun(tenant.id, 'drift.check', queryKeys.driftReports.all(tenant.id));

  return (
    <Stack>
      <PageHeader
        title="Drift"
        actions={
          may(tenant.role, 'drift.check') ? (
            <Button onClick={() => startRun.mutate({ type: 'drift.check', target: {}, scope: {} })} loading={startRun.isPending || active}>
              Check drift now
            </Button>
          ) : null
        }
      />
      <Text size="sm" c="dimmed">
        A drift check compares the tenant&apos;s live policies with its latest backup; order alone, ids and timestamps are never drift.
      </Text>
      {startRun.error ? <ErrorState error={startRun.error} /> : null}
      <PagedTable
        query={reports}
        empty={<EmptyState title="No drift reports">{active ? 'A drift check is running.' : 'No drift check has run in this tenant yet.'}</EmptyState>}
        rowKey={(report) => report.id}
        columns={[
          {
            header: 'Checked',
            cell: (report) => (
              <AnchorLink to="/tenants/$tenantId/drift-reports/$reportId" params={{ tenantId: tenant.id, reportId: report.id }}>
                {formatDateTime(report.finishedAt ?? report.createdAt)}
              </AnchorLink>
            ),
          },
          { header: 'Drift', cell: (report) => <DriftStatusBadge report={report} /> },
          { header: 'Unchanged', cell: (report) => report.counts.unchanged },
          {
            header: 'Baseline',
            cell: (report) => (
              <AnchorLink to="/tenants/$tenantId/backup-sets/$setId" params={{ tenantId: tenant.id, setId: report.baselineBackupSetId }}>
                Backup set
              </AnchorLink>
            ),
          },
        ]}
        cursor={cursor}
        onCursor={(next) => void navigate({ search: { cursor: next } })}
        labels={NEWEST_FIRST_LABELS}
      />
    </Stack>
  );
}
