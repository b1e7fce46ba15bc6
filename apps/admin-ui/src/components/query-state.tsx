// Every data view's four states besides "here is the data": loading, error (the API's message), forbidden
// (403: the user's role or membership does not allow it) and empty.
import { Alert, Center, Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" aria-hidden />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function ForbiddenState({ message }: { message?: string }) {
  return (
    <Stack align="center" py="xl" gap="xs" data-testid="forbidden-state">
      <Title order={2}>You do not have access</Title>
      <Text c="dimmed" ta="center">
        {message ?? 'Your role in this tenant does not allow this page.'} Ask an owner of the tenant if you need it.
      </Text>
    </Stack>
  );
}

export function ErrorState({ error, title = 'Could not load this' }: { error: unknown; title?: string }) {
  if (error instanceof ApiError && error.isForbidden) return <ForbiddenState message={`${error.message}.`} />;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <Alert color="red" title={title} role="alert" my="md">
      {message}
    </Alert>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" py="xl" gap="xs">
      <Text fw={600}>{title}</Text>
      {children ? (
        <Text size="sm" c="dimmed" ta="center">
          {children}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Renders the right state for a query; `children` only once there is data. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.error) return <ErrorState error={query.error} />;
  if (query.isPending || query.data === undefined) return <LoadingState />;
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
