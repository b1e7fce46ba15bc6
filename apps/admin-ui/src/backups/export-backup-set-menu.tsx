import { Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { BackupExportSecretMode, BackupSetView } from '../api/contracts';
import { queryString } from '../api/http';
import { DownloadMenu } from '../components/download-menu';

const SECRET_CHOICES: Array<{ mode: BackupExportSecretMode; label: string; description: string }> = [
  { mode: 'omit', label: 'Leave secret values out', description: 'A zip for IntuneManagement; a marker replaces each secret value.' },
  { mode: 'encrypted', label: 'Keep secret values encrypted', description: 'A zip for IntuneManagement; only PolicyVault with its key opens them.' },
];

/** Any member may export a complete (or partial) set: a zip in IntuneManagement's layout with a manifest, secret values left out or encrypted. */
export function ExportBackupSetMenu({ tenantId, backupSet }: { tenantId: string; backupSet: BackupSetView }) {
  if (backupSet.status !== 'complete' && backupSet.status !== 'partial') {
    return (
      <Text size="sm" c="dimmed">
        Only a complete or partial backup set can be exported.
      </Text>
    );
  }
  return (
    <DownloadMenu
      label="Export"
      icon={<IconDownload size={16} aria-hidden />}
      width={300}
      downloaded="Export downloaded"
      failed="Could not export the backup set"
      choices={SECRET_CHOICES.map(({ mode, label, description }) => ({
        url: `/api/tenants/${tenantId}/backup-sets/${backupSet.id}/export${queryString({ secrets: mode })}`,
        label,
        description,
      }))}
    />
  );
}
