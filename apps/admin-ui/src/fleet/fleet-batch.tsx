import { Badge, Button, CloseButton, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import type { FleetBatch, RunStatusValue } from '../api/contracts';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { QueryState } from '../components/query-state';
import { RUN_STATUS_COLORS, RUN_TYPE_LABELS } from '../runs/run-labels';
import { useFleetBatch } from './fleet-queries';

const FINISHED: (RunStatusValue | 'rejected')[] = ['succeeded', 'partial', 'failed', 'canceled', 'rejected'];

/** How far a batch is: its tenants whose run ended (or that were rejected), of all. */
export function batchProgress(batch: Pick<FleetBatch, 'tenants' | 'counts'>): { finished: number; percent: number } {
  const finished = FINISHED.reduce((sum, status) => sum + batch.counts[status], 0);
  return { finished, percent: batch.tenants === 0 ? 100 : Math.round((finished / batch.tenants) * 100) };
}

/** A fleet batch and its runs, followed until none is queued or running. */
export function FleetBatchPanel({ batchId, onClose }: { batchId: string; onClose: () => void }) {
  const batch = useFleetBatch(batchId);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="fleet-batch-title">
      <QueryState query={batch}>
        {(data) => {
          const { finished, percent } = batchProgress(data);
          return (
            <Stack gap="sm">
              <Group justify="space-between" wrap="nowrap">
                <Title order={2} size="h4" id="fleet-batch-title">
                  {RUN_TYPE_LABELS[data.type]} in {data.tenants} tenant{data.tenants === 1 ? '' : 's'}
                </Title>
                <CloseButton aria-label="Close the batch" onClick={onClose} />
              </Group>
              <Text size="sm" c="dimmed">
                Started {formatDateTime(data.createdAt)} by {data.createdBy.email}
              </Text>
              <Progress value={percent} aria-label="Batch progress" data-testid="batch-progress" data-percent={percent} animated={!data.done} />
              <Group gap="xs" data-testid="batch-status">
                <Text size="sm" fw={600}>
                  {data.done ? 'Done' : 'Running'}: {finished} of {data.tenants} finished
                </Text>
                {(Object.entries(data.counts) as [RunStatusValue | 'rejected', number][])
                  .filter(([, count]) => count > 0)
                  .map(([status, count]) => (
                    <Badge key={status} color={status === 'rejected' ? 'gray.7' : RUN_STATUS_COLORS[status]}>
                      {count} {status}
                    </Badge>
                  ))}
              </Group>
              <DataTable
                rows={data.items}
                rowKey={(item) => item.tenantId}
                columns={[
                  { header: 'Tenant', cell: (item) => item.displayName },
                  {
                    header: 'Run',
                    cell: (item) =>
                      item.runId ? (
                        <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: item.tenantId, runId: item.runId }}>
                          {item.outcome === 'reused' ? 'Already running' : 'View run'}
                        </AnchorLink>
                      ) : (
                        (item.reason ?? 'Not started')
                      ),
                  },
                  {
                    header: 'Status',
                    cell: (item) => (item.status ? <Badge color={RUN_STATUS_COLORS[item.status]}>{item.status}</Badge> : <Badge color="gray.7">rejected</Badge>),
                  },
                  { header: 'Finished', cell: (item) => formatDateTime(item.finishedAt) },
                ]}
              />
              {data.nextCursor ? (
                <Text size="sm" c="dimmed">
                  The first 200 tenants are listed; the counts cover all.
                </Text>
              ) : null}
              {data.done ? null : (
                <Button variant="subtle" size="compact-sm" onClick={() => void batch.refetch()} w="fit-content">
                  Refresh now
                </Button>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Paper>
  );
}
