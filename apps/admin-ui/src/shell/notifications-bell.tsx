import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AnchorLink } from '../components/links';
import type { NotificationPage, NotificationView } from '../api/contracts';
import { api } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { formatDateTime } from '../components/format';
import { ErrorState, LoadingState } from '../components/query-state';

/** The user's notifications: unread count on the bell, the latest 20, mark one or all read. */
export function NotificationsBell() {
  const queryClient = useQueryClient();
  const notifications = useQuery({
    queryKey: queryKeys.notifications(),
    queryFn: ({ signal }) => api<NotificationPage>('/api/notifications?limit=20', { signal }),
    refetchInterval: 30_000,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications() });
  const markRead = useMutation({ mutationFn: (id: string) => api<NotificationView>(`/api/notifications/${id}/read`, { method: 'POST' }), onSuccess: refresh });
  const markAllRead = useMutation({ mutationFn: () => api('/api/notifications/read-all', { method: 'POST' }), onSuccess: refresh });
  const unread = notifications.data?.unreadCount ?? 0;

  return (
    // The badge sits on the button, not inside it (the button's rounded box would clip it); the dropdown is portalled.
    <Indicator label={<span aria-hidden>{unread}</span>} size={16} disabled={unread === 0} offset={6} zIndex={1}>
      <Popover width={360} position="bottom-end" shadow="md">
        <Popover.Target>
          <ActionIcon variant="subtle" size="lg" aria-label={`Notifications: ${unread} unread`}>
            <IconBell size={20} aria-hidden />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown>
          <Group justify="space-between" mb="xs">
            <Text fw={600}>Notifications</Text>
            <Button size="compact-xs" variant="subtle" disabled={unread === 0} loading={markAllRead.isPending} onClick={() => markAllRead.mutate()}>
              Mark all read
            </Button>
          </Group>
          {notifications.error ? <ErrorState error={notifications.error} /> : null}
          {notifications.isPending ? <LoadingState /> : null}
          {notifications.data?.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing yet: you hear here when a run you started ends.
            </Text>
          ) : null}
          <ScrollArea.Autosize mah={400}>
            <Stack gap="xs" role="list" aria-label="Notifications">
              {notifications.data?.items.map((notification) => (
                <Stack
                  key={notification.id}
                  gap={2}
                  role="listitem"
                  p={6}
                  // Unread: a bar in the primary colour (a tinted background would lower the links' contrast).
                  style={{ borderLeft: `3px solid ${notification.readAt ? 'transparent' : 'var(--mantine-primary-color-filled)'}` }}
                >
                  <Text size="sm" fw={notification.readAt ? 400 : 600}>
                    {notification.title}
                  </Text>
                  <Text size="xs">{notification.body}</Text>
                  <Group justify="space-between" gap="xs">
                    <Text size="xs" c="dimmed">
                      {formatDateTime(notification.createdAt)}
                    </Text>
                    <Group gap="xs">
                      {notification.runId ? (
                        <AnchorLink
                          size="xs"
                          to="/tenants/$tenantId/runs/$runId"
                          params={{ tenantId: notification.tenantId, runId: notification.runId }}
                          onClick={() => !notification.readAt && markRead.mutate(notification.id)}
                        >
                          View run
                        </AnchorLink>
                      ) : (
                        // Not about a run (an endpoint disabled): the tenant's notification settings.
                        <AnchorLink
                          size="xs"
                          to="/tenants/$tenantId/settings"
                          params={{ tenantId: notification.tenantId }}
                          onClick={() => !notification.readAt && markRead.mutate(notification.id)}
                        >
                          Open settings
                        </AnchorLink>
                      )}
                      {notification.readAt ? null : (
                        <Button size="compact-xs" variant="subtle" onClick={() => markRead.mutate(notification.id)}>
                          Mark read
                        </Button>
                      )}
                    </Group>
                  </Group>
                </Stack>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
