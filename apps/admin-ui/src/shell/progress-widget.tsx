import { Badge, Button, Popover, Progress, Stack, Text } from '@mantine/core';
import { IconActivity } from '@tabler/icons-react';
import { AnchorLink } from '../components/links';
import type { Tenant } from '../api/contracts';
import { percentDone } from '../live/active-runs.reducer';
import { useActiveRuns } from '../live/live-runs';
import { RUN_TYPE_LABELS } from '../runs/run-labels';

/** Every active run of every tenant the user sees, live; each links to its run page. */
export function ProgressWidget({ tenants }: { tenants: Tenant[] }) {
  const runs = [...useActiveRuns().values()];
  const names = new Map(tenants.map((tenant) => [tenant.id, tenant.displayName]));
  return (
    <Popover width={320} position="bottom-end" shadow="md">
      <Popover.Target>
        <Button variant={runs.length > 0 ? 'light' : 'subtle'} size="compact-md" aria-label={`Active runs: ${runs.length}`}>
          <IconActivity size={18} aria-hidden />&nbsp;
          <Badge size="sm" variant={runs.length > 0 ? 'filled' : 'outline'} aria-hidden>
            {runs.length}
          </Badge>
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm" aria-label="Active runs">
          {runs.length === 0 ? (
            <Text size="sm" c="dimmed">
              No runs are queued or running.
            </Text>
          ) : null}
          {runs.map((run) => {
            const percent = percentDone(run);
            const label = `${RUN_TYPE_LABELS[run.type] ?? run.type} in ${names.get(run.tenantId) ?? 'a tenant'}`;
            return (
              <Stack key={run.runId} gap={4}>
                <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: run.tenantId, runId: run.runId }} size="sm">
                  {label}
                </AnchorLink>
                <Progress.Root>
                  <Progress.Section value={run.total > 0 ? percent : 100} striped animated={run.status === 'running'} aria-label={label} aria-valuetext={run.total > 0 ? `${percent} %` : 'counting items'} />
                </Progress.Root>
                <Text size="xs" c="dimmed">
                  {run.status}
                  {run.cancelRequested ? ' (stopping)' : ''} · {run.done} of {run.total || '?'}
                </Text>
              </Stack>
            );
          })}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
