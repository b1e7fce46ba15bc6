import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { EmptyState, QueryState } from '../components/query-state';
import { mayStartRun } from '../runs/run-labels';
import { ButtonLink } from '../components/links';
import { useCurrentTenant } from '../shell/tenant-layout';
import { BACKUP_SET_STATUS_COLORS, useBackupItems, useBackupSet } from './backup-queries';
import { ExportBackupSetMenu } from './export-backup-set-menu';

const route = getRouteApi('/app/tenants/$tenantId/backup-sets/$setId');

export function BackupSetPage() {
  const tenant = useCurrentTenant();
  const { setId } = route.useParams();
  const set = useBackupSet(tenant.id, setId);
  const items = useBackupItems(tenant.id, setId);
  return (
    <QueryState query={set}>
      {(backupSet) => (
        <Stack>
          <Group justify="space-between" align="start">
            <Group gap="sm">
              <Title order={1} size="h2">
                {backupSet.name}
              </Title>
              <Badge color={BACKUP_SET_STATUS_COLORS[backupSet.status]} size="lg">
                {backupSet.status}
              </Badge>
            </Group>
            <Group gap="xs">
              <ExportBackupSetMenu tenantId={tenant.id} backupSet={backupSet} />
              {/* The preview needs the operator role (a restore into another tenant needs it there too; execute needs owner, asked in the wizard). */}
              {mayStartRun(tenant.role, 'restore.preview') && (backupSet.status === 'complete' || backupSet.status === 'partial') ? (
                <ButtonLink to="/tenants/$tenantId/backup-sets/$setId/restore" params={{ tenantId: tenant.id, setId: backupSet.id }}>
                  Restore…
                </ButtonLink>
              ) : null}
            </Group>
          </Group>
          <Text size="sm" c="dimmed">
            {backupSet.itemCount} items · created {formatDateTime(backupSet.createdAt)} ·{' '}
            <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: backupSet.createdByRunId }} underline="always">
              the run that made it
            </AnchorLink>
          </Text>
          <QueryState query={items} isEmpty={(page) => page.items.length === 0} empty={<EmptyState title="No items">This set holds no policies.</EmptyState>}>
            {(page) => (
              <DataTable
                rows={page.items}
                rowKey={(item) => item.id}
                columns={[
                  { header: 'Policy', cell: (item) => item.displayName },
                  { header: 'Type', cell: (item) => item.policyType },
                  { header: 'Foundation', cell: (item) => (item.isFoundation ? 'yes' : 'no') },
                  { header: 'Added', cell: (item) => formatDateTime(item.addedAt) },
                ]}
              />
            )}
          </QueryState>
        </Stack>
      )}
    </QueryState>
  );
}
