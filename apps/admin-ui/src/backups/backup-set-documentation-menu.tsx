import { IconFileDescription } from '@tabler/icons-react';
import type { BackupSetView } from '../api/contracts';
import { queryString } from '../api/http';
import { DownloadMenu } from '../components/download-menu';

type ReportFormat = 'html' | 'markdown';

const FORMATS: Array<{ format: ReportFormat; label: string; description: string }> = [
  { format: 'html', label: 'Documentation (HTML)', description: 'One printable page for the customer: every policy, setting and assignment.' },
  { format: 'markdown', label: 'Documentation (Markdown)', description: 'The same report as Markdown, for a wiki or a repository.' },
];

/** Any member may download a complete (or partial) set's as-built documentation; secret values read "secret value". */
export function BackupSetDocumentationMenu({ tenantId, backupSet }: { tenantId: string; backupSet: BackupSetView }) {
  if (backupSet.status !== 'complete' && backupSet.status !== 'partial') return null;
  return (
    <DownloadMenu
      label="Documentation"
      icon={<IconFileDescription size={16} aria-hidden />}
      width={320}
      downloaded="Documentation downloaded"
      failed="Could not download the documentation"
      choices={FORMATS.map(({ format, label, description }) => ({
        url: `/api/tenants/${tenantId}/backup-sets/${backupSet.id}/report${queryString({ format })}`,
        label,
        description,
      }))}
    />
  );
}
