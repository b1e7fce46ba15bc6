import { Alert, Badge, Button, Card, Code, Group, Modal, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { getRouteApi } from '@tanstack/react-router';
import type { RunView, Tenant } from '../api/contracts';
import { may } from '../api/roles';
import { readSession } from '../auth/session';
import { PageHeader } from '../components/page-header';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { EmptyState, ErrorState, QueryState } from '../components/query-state';
import { isActiveStatus, percentDone } from '../live/active-runs.reducer';
import { useCurrentTenant } from '../shell/tenant-layout';
import { RUN_ITEM_STATUS_COLORS, RUN_STATUS_COLORS, RUN_TYPE_LABELS } from './run-labels';
import { RunStatusBadge } from './run-status-badge';
import { useCancelRun, useRun, useRunAuditEvents, useRunItems } from './run-queries';

const route = getRouteApi('/app/tenants/$tenantId/runs/$runId');

/** The gateway's rule (run-service decides): the initiator (operator and up) or any owner, while active. */
export function mayCancel(run: RunView, tenant: Tenant, email: string | undefined): boolean {
  if (!isActiveStatus(run.status) || run.cancelRequested) return false;
  return may(tenant.role, run.initiator.email.toLowerCase() === email?.toLowerCase() ? 'cancel-own-run' : 'cancel-any-run');
}

export function RunDetailPage() {
  const tenant = useCurrentTenant();
  const { runId } = route.useParams();
  const run = useRun(tenant.id, runId);
  return <QueryState query={run}>{(data) => <RunDetail run={data} tenant={tenant} />}</QueryState>;
}

function RunDetail({ run, tenant }: { run: RunView; tenant: Tenant }) {
  const active = isActiveStatus(run.status);
  return (
    <Stack>
      <PageHeader
        title={RUN_TYPE_LABELS[run.type] ?? run.type}
        badges={
          <>
            <RunStatusBadge status={run.status} prominent />
            {run.cancelRequested && active ? <Badge color="yellow.4">stopping</Badge> : null}
          </>
        }
        actions={mayCancel(run, tenant, readSession()?.email) ? <CancelButton tenantId={tenant.id} runId={run.id} /> : null}
      />
      <RunProgress run={run} />
      <RunFacts run={run} />
      {run.type === 'restore.execute' ? <RestoreAudit tenantId={tenant.id} runId={run.id} /> : null}
      <RunItems tenantId={tenant.id} runId={run.id} status={run.status} />
    </Stack>
  );
}


/** The run's progress bar (moved live by the SSE stream through the query cache) and its error, if any. */
export function RunProgress({ run }: { run: RunView }) {
  const done = run.counts.succeeded + run.counts.failed + run.counts.skipped;
  const active = isActiveStatus(run.status);
  // An ended run without items (nothing to do) is complete.
  const percent = !active && run.counts.total === 0 ? 100 : percentDone({ total: run.counts.total, done });
  return (
    <>
      <Stack gap={4}>
        <Progress.Root size="lg" data-testid="run-progress" data-percent={percent}>
          <Progress.Section
            value={active && run.counts.total === 0 ? 100 : percent}
            striped={active}
            animated={active}
            color={RUN_STATUS_COLORS[run.status]}
            aria-label="Run progress"
            aria-valuetext={active && run.counts.total === 0 ? 'counting items' : `${percent} %`}
          />
        </Progress.Root>
        <Text size="sm" c="dimmed">
          {done} of {run.counts.total} items · {percent} %
        </Text>
      </Stack>
      {run.error ? (
        <Alert color="red" title="The run reported an error" role="alert">
          {run.error.message} <Code>{run.error.code}</Code>
        </Alert>
      ) : null}
    </>
  );
}

export function RunFacts({ run }: { run: RunView }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }}>
      <Fact label="Succeeded" value={run.counts.succeeded} />
      <Fact label="Failed" value={run.counts.failed} />
      <Fact label="Skipped" value={run.counts.skipped} />
      <Fact label="Started by" value={run.initiator.email} />
      <Fact label="Queued" value={formatDateTime(run.queuedAt)} />
      <Fact label="Started" value={formatDateTime(run.startedAt)} />
      <Fact label="Finished" value={formatDateTime(run.finishedAt)} />
    </SimpleGrid>
  );
}

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <Card withBorder padding="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Card>
  );
}

function CancelButton({ tenantId, runId }: { tenantId: string; runId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const cancel = useCancelRun(tenantId, runId);
  return (
    <>
      <Button color="red.9" variant="outline" onClick={open}>
        Cancel run
      </Button>
      <Modal opened={opened} onClose={close} title="Cancel this run?">
        <Stack>
          <Text size="sm">A queued run stops at once; a running one stops after the item it is working on, keeping what is done.</Text>
          {cancel.error ? <ErrorState error={cancel.error} /> : null}
          <Group justify="end">
            <Button variant="default" onClick={close}>
              Keep running
            </Button>
            <Button color="red.9" loading={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSuccess: close })}>
              Cancel run
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function RunItems({ tenantId, runId, status }: { tenantId: string; runId: string; status: string }) {
  const items = useRunItems(tenantId, runId);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Items
      </Title>
      <QueryState
        query={items}
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No item results yet">{isActiveStatus(status) ? 'Items appear as the run works through them.' : 'This run had no items.'}</EmptyState>}
      >
        {(page) => (
          <DataTable
            rows={page.items}
            rowKey={(item) => item.itemKey}
            columns={[
              { header: 'Item', cell: (item) => item.label ?? item.itemKey },
              {
                header: 'Result',
                cell: (item) => (
                  <Badge color={RUN_ITEM_STATUS_COLORS[item.status]} variant="filled">
                    {item.status}
                  </Badge>
                ),
              },
              {
                header: 'Outcome or error',
                cell: (item) =>
                  item.error ? (
                    <Text size="sm" c="red.9">
                      {item.error.message} <Code>{item.error.code}</Code>
                    </Text>
                  ) : (
                    (item.outcome ?? '—')
                  ),
              },
              { header: 'Finished', cell: (item) => formatDateTime(item.finishedAt) },
            ]}
          />
        )}
      </QueryState>
    </Stack>
  );
}

function RestoreAudit({ tenantId, runId }: { tenantId: string; runId: string }) {
  const events = useRunAuditEvents(tenantId, runId, true);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Audit
      </Title>
      <QueryState query={events} isEmpty={(page) => page.items.length === 0} empty={<EmptyState title="No audit event yet">It is written when the restore ends.</EmptyState>}>
        {(page) => (
          <Stack gap="xs">
            {page.items.map((event) => (
              <Card key={event.id} withBorder padding="sm">
                <Text fw={600}>{event.action}</Text>
                <Text size="sm">
                  by {event.actor} at {formatDateTime(event.occurredAt)}
                </Text>
              </Card>
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
