import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDownload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { BackupExportSecretMode, BackupSetView } from '../api/contracts';
import { download, queryString } from '../api/http';

const SECRET_CHOICES: Array<{ mode: BackupExportSecretMode; label: string; description: string }> = [
  { mode: 'omit', label: 'Leave secret values out', description: 'A zip for IntuneManagement; a marker replaces each secret value.' },
  { mode: 'encrypted', label: 'Keep secret values encrypted', description: 'A zip for IntuneManagement; only PolicyVault with its key opens them.' },
];

/** Any member may export a complete (or partial) set: a zip in IntuneManagement's layout with a manifest, secret values left out or encrypted. */
export function ExportBackupSetMenu({ tenantId, backupSet }: { tenantId: string; backupSet: BackupSetView }) {
  const exportSet = useMutation({
    mutationFn: (secrets: BackupExportSecretMode) => download(`/api/tenants/${tenantId}/backup-sets/${backupSet.id}/export${queryString({ secrets })}`),
    onSuccess: (fileName) => notifications.show({ title: 'Export downloaded', message: fileName }),
    onError: (error) => notifications.show({ color: 'red', title: 'Could not export the backup set', message: error.message }),
  });
  if (backupSet.status !== 'complete' && backupSet.status !== 'partial') {
    return (
      <Text size="sm" c="dimmed">
        Only a complete or partial backup set can be exported.
      </Text>
    );
  }
  return (
    <Menu position="bottom-end" width={300}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} rightSection={<IconChevronDown size={16} aria-hidden />} loading={exportSet.isPending}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {SECRET_CHOICES.map((choice) => (
          <Menu.Item key={choice.mode} onClick={() => exportSet.mutate(choice.mode)}>
            <Text size="sm">{choice.label}</Text>
            <Text size="xs" c="dimmed">
              {choice.description}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
