import { Badge, Group, Stack, Text } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { may } from '../api/roles';
import { AnchorLink, ButtonLink } from '../components/links';
import { PageHeader } from '../components/page-header';
import { EmptyState, QueryState } from '../components/query-state';
import { useCurrentTenant } from '../shell/tenant-layout';
import { BACKUP_SET_STATUS_COLORS, useBackupItems, useBackupSet } from './backup-queries';
import { BackupSetDocumentationMenu } from './backup-set-documentation-menu';
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
          <PageHeader
            title={backupSet.name}
            badges={
              <Badge color={BACKUP_SET_STATUS_COLORS[backupSet.status]} size="lg">
                {backupSet.status}
              </Badge>
            }
            actions={
              <Group gap="xs">
                <BackupSetDocumentationMenu tenantId={tenant.id} backupSet={backupSet} />
                <ExportBackupSetMenu tenantId={tenant.id} backupSet={backupSet} />
                {/* The preview needs the operator role (a restore into another tenant needs it there too; execute needs owner, asked in the wizard). */}
                {may(tenant.role, 'restore.preview') && (backupSet.status === 'complete' || backupSet.status === 'partial') ? (
                  <ButtonLink to="/tenants/$tenantId/backup-sets/$setId/restore" params={{ tenantId: tenant.id, setId: backupSet.id }}>
                    Restore…
                  </ButtonLink>
                ) : null}
              </Group>
            }
          />
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
