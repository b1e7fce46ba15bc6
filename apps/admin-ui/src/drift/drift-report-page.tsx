import { Badge, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import type { DriftItemStatus, DriftItemView } from '../api/contracts';
import { CursorPager } from '../components/cursor-pager';
import { DiffView } from '../components/diff-view';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { EmptyState, QueryState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { DRIFT_ITEM_COLORS, useDriftReport } from './drift-queries';
import { DriftStatusBadge } from './drift-reports-page';
import { ITEM_STATUSES } from './drift-report-search';

const route = getRouteApi('/app/tenants/$tenantId/drift-reports/$reportId');
const ITEM_EXPLANATION: Record<DriftItemStatus, string> = {
  changed: 'The live policy differs from the baseline.',
  removed: 'In the baseline, no longer in the tenant.',
  added: 'In the tenant, not in the baseline.',
  unchanged: 'The same as in the baseline.',
};

/** One drift report: what drifted, each changed policy's fields side by side (baseline before, live after). */
export function DriftReportPage() {
  const tenant = useCurrentTenant();
  const { reportId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const report = useDriftReport(tenant.id, reportId, search);

  return (
    <Stack>
      <Group gap="xs">
        <AnchorLink to="/tenants/$tenantId/drift-reports" params={{ tenantId: tenant.id }} size="sm">
          Drift reports
        </AnchorLink>
      </Group>
      <QueryState query={report}>
        {(page) => (
          <>
            <Group justify="space-between" align="start">
              <Stack gap={4}>
                <Title order={1} size="h2">
                  Drift report
                </Title>
                <Text size="sm" c="dimmed">
                  {formatDateTime(page.report.finishedAt ?? page.report.createdAt)}, compared with{' '}
                  <AnchorLink to="/tenants/$tenantId/backup-sets/$setId" params={{ tenantId: tenant.id, setId: page.report.baselineBackupSetId }} size="sm" underline="always">
                    the baseline backup set
                  </AnchorLink>{' '}
                  (
                  <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: page.report.runId }} size="sm" underline="always">
                    run
                  </AnchorLink>
                  )
                </Text>
              </Stack>
              <DriftStatusBadge report={page.report} />
            </Group>
            <SegmentedControl
              aria-label="Show items"
              value={search.status ?? 'all'}
              onChange={(value) => void navigate({ search: { status: value === 'all' ? undefined : (value as DriftItemStatus) } })}
              data={[
                { value: 'all', label: 'All' },
                ...ITEM_STATUSES.map((status) => ({ value: status, label: `${status[0].toUpperCase()}${status.slice(1)} (${page.report.counts[status]})` })),
              ]}
              style={{ alignSelf: 'start', maxWidth: '100%', overflowX: 'auto' }}
            />
            {page.items.length === 0 ? (
              <EmptyState title="No items">{search.status ? `No policy is ${search.status}.` : 'The baseline holds no policies.'}</EmptyState>
            ) : (
              <Stack gap="sm">
                {page.items.map((item) => (
                  <DriftItem key={item.id} item={item} />
                ))}
              </Stack>
            )}
            <CursorPager cursor={search.cursor} nextCursor={page.nextCursor} onCursor={(cursor) => void navigate({ search: (previous) => ({ ...previous, cursor }) })} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function DriftItem({ item }: { item: DriftItemView }) {
  const titleId = `drift-item-${item.id.replace(/[^\w-]/g, '-')}`;
  return (
    <Paper withBorder p="sm" component="article" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <div>
            <Title order={2} size="h5" id={titleId}>
              {item.displayName}
            </Title>
            <Text size="xs" c="dimmed">
              {item.policyType} · {ITEM_EXPLANATION[item.status]}
            </Text>
          </div>
          <Badge color={DRIFT_ITEM_COLORS[item.status]}>{item.status}</Badge>
        </Group>
        {item.status === 'changed' ? <DiffView differences={item.differences} beforeLabel="Baseline" afterLabel="Live" caption={item.displayName} /> : null}
      </Stack>
    </Paper>
  );
}
