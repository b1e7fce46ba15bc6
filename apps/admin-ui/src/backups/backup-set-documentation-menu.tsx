import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconFileDescription } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { BackupSetView } from '../api/contracts';
import { download, queryString } from '../api/http';

type ReportFormat = 'html' | 'markdown';

const FORMATS: Array<{ format: ReportFormat; label: string; description: string }> = [
  { format: 'html', label: 'Documentation (HTML)', description: 'One printable page for the customer: every policy, setting and assignment.' },
  { format: 'markdown', label: 'Documentation (Markdown)', description: 'The same report as Markdown, for a wiki or a repository.' },
];

/** Any member may download a complete (or partial) set's as-built documentation; secret values read "secret value". */
export function BackupSetDocumentationMenu({ tenantId, backupSet }: { tenantId: string; backupSet: BackupSetView }) {
  const report = useMutation({
    mutationFn: (format: ReportFormat) => download(`/api/tenants/${tenantId}/backup-sets/${backupSet.id}/report${queryString({ format })}`),
    onSuccess: (fileName) => notifications.show({ title: 'Documentation downloaded', message: fileName }),
    onError: (error) => notifications.show({ color: 'red', title: 'Could not download the documentation', message: error.message }),
  });
  if (backupSet.status !== 'complete' && backupSet.status !== 'partial') return null;
  return (
    <Menu position="bottom-end" width={320}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconFileDescription size={16} aria-hidden />} rightSection={<IconChevronDown size={16} aria-hidden />} loading={report.isPending}>
          Documentation
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {FORMATS.map((choice) => (
          <Menu.Item key={choice.format} onClick={() => report.mutate(choice.format)}>
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
