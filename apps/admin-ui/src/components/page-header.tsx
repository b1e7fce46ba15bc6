import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A page's heading (the one h1), with badges beside it and the page's actions on the right. */
export function PageHeader({ title, badges, actions }: { title: ReactNode; badges?: ReactNode; actions?: ReactNode }) {
  const heading = (
    <Title order={1} size="h2">
      {title}
    </Title>
  );
  return (
    <Group justify="space-between">
      {badges ? (
        <Group gap="sm">
          {heading}
          {badges}
        </Group>
      ) : (
        heading
      )}
      {actions}
    </Group>
  );
}
