import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { download } from '../api/http';

export interface DownloadChoice {
  /** The file's URL (the browser's download, with the session's token). */
  url: string;
  label: string;
  description: string;
}

/**
 * A button opening a menu of downloads of one resource (an export's secret handling, a report's format): the
 * chosen file is fetched with the session and saved; a failure is shown with the server's message.
 */
export function DownloadMenu({
  label,
  icon,
  choices,
  width,
  downloaded,
  failed,
}: {
  label: string;
  icon: ReactNode;
  choices: DownloadChoice[];
  width: number;
  /** Title of the notification once a file is saved. */
  downloaded: string;
  /** Title of the notification when it could not be. */
  failed: string;
}) {
  const file = useMutation({
    mutationFn: (url: string) => download(url),
    onSuccess: (fileName) => notifications.show({ title: downloaded, message: fileName }),
    onError: (error) => notifications.show({ color: 'red', title: failed, message: error.message }),
  });
  return (
    <Menu position="bottom-end" width={width}>
      <Menu.Target>
        <Button variant="default" leftSection={icon} rightSection={<IconChevronDown size={16} aria-hidden />} loading={file.isPending}>
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {choices.map((choice) => (
          <Menu.Item key={choice.url} onClick={() => file.mutate(choice.url)}>
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
