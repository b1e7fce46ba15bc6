import { Alert, Badge, Button, Checkbox, Code, Group, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type {
  CreatedNotificationEndpointView,
  NotificationChannelKindValue,
  NotificationDeliveryView,
  NotificationEndpointView,
  NotificationEventKindValue,
  NotificationSubscriptionView,
} from '../api/contracts';
import { api } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { DataTable } from '../components/data-table';
import { formatDateTime } from '../components/format';
import { EmptyState, ErrorState, QueryState } from '../components/query-state';

const KIND_OPTIONS: { value: NotificationChannelKindValue; label: string }[] = [
  { value: 'webhook', label: 'Webhook (signed)' },
  { value: 'teams', label: 'Microsoft Teams' },
  { value: 'email', label: 'Email' },
];
const EVENT_LABELS: Record<NotificationEventKindValue, string> = {
  'run.failed': 'Run failed',
  'run.partial': 'Run finished with errors',
  'drift.found': 'Drift found',
  'tenant.access_lost': 'Tenant access lost',
  'schedule.skipped': 'Schedule slot skipped',
  'schedule.failing': 'Schedule failing repeatedly',
};

function useChannels(tenantId: string) {
  const base = `/api/tenants/${tenantId}`;
  const key = queryKeys.notificationChannels(tenantId);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: key });
  return {
    endpoints: useQuery({ queryKey: [...key, 'endpoints'], queryFn: ({ signal }) => api<NotificationEndpointView[]>(`${base}/notification-endpoints`, { signal }) }),
    subscriptions: useQuery({ queryKey: [...key, 'subscriptions'], queryFn: ({ signal }) => api<NotificationSubscriptionView[]>(`${base}/notification-subscriptions`, { signal }) }),
    deadLetters: useQuery({
      queryKey: [...key, 'dead-letters'],
      queryFn: ({ signal }) => api<NotificationDeliveryView[]>(`${base}/notification-deliveries?status=dead`, { signal }),
    }),
    addEndpoint: useMutation({
      mutationFn: (body: object) => api<CreatedNotificationEndpointView>(`${base}/notification-endpoints`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    removeEndpoint: useMutation({ mutationFn: (id: string) => api<void>(`${base}/notification-endpoints/${id}`, { method: 'DELETE' }), onSuccess: refresh }),
    enableEndpoint: useMutation({ mutationFn: (id: string) => api<NotificationEndpointView>(`${base}/notification-endpoints/${id}/enable`, { method: 'POST' }), onSuccess: refresh }),
    testEndpoint: useMutation({ mutationFn: (id: string) => api<{ deliveryId: string }>(`${base}/notification-endpoints/${id}/test`, { method: 'POST' }), onSuccess: refresh }),
    addSubscription: useMutation({
      mutationFn: (body: object) => api<NotificationSubscriptionView>(`${base}/notification-subscriptions`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    removeSubscription: useMutation({ mutationFn: (id: string) => api<void>(`${base}/notification-subscriptions/${id}`, { method: 'DELETE' }), onSuccess: refresh }),
  };
}

/**
 * Where the tenant's alerts go besides the bell (owners): webhook, Teams and email endpoints, which events
 * each gets (or an hourly digest), and the deliveries given up with their last error.
 */
export function NotificationChannelsSection({ tenantId }: { tenantId: string }) {
  const channels = useChannels(tenantId);
  const [kind, setKind] = useState<NotificationChannelKindValue>('webhook');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [endpointId, setEndpointId] = useState<string | null>(null);
  const [events, setEvents] = useState<NotificationEventKindValue[]>(['run.failed']);
  const [digest, setDigest] = useState(false);

  const addEndpoint = (event: FormEvent) => {
    event.preventDefault();
    const body =
      kind === 'email'
        ? { scope: 'tenant', kind, name: name.trim(), emailTo: target.split(/[,;\s]+/).filter(Boolean) }
        : { scope: 'tenant', kind, name: name.trim(), url: target.trim() };
    channels.addEndpoint.mutate(body, {
      onSuccess: (created) => {
        setName('');
        setTarget('');
        setSecret(created.secret ?? null);
      },
    });
  };
  const addSubscription = (event: FormEvent) => {
    event.preventDefault();
    if (!endpointId) return;
    channels.addSubscription.mutate({ scope: 'tenant', endpointId, events, digest });
  };
  const endpointName = (id: string) => channels.endpoints.data?.find((endpoint) => endpoint.id === id)?.name ?? id;
  const mutationError =
    channels.addEndpoint.error ??
    channels.removeEndpoint.error ??
    channels.enableEndpoint.error ??
    channels.testEndpoint.error ??
    channels.addSubscription.error ??
    channels.removeSubscription.error;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="section-notification-channels">
      <Stack gap="sm">
        <Title order={2} size="h4" id="section-notification-channels">
          Notification channels
        </Title>
        <form onSubmit={addEndpoint} aria-label="Add an endpoint">
          <Group gap="sm" align="end">
            <Select label="Kind" data={KIND_OPTIONS} value={kind} onChange={(value) => value && setKind(value as NotificationChannelKindValue)} allowDeselect={false} w={180} />
            <TextInput label="Name" required value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={200} w={180} />
            <TextInput
              label={kind === 'email' ? 'Recipients' : 'URL'}
              description={kind === 'email' ? 'Comma separated' : 'https only'}
              required
              value={target}
              onChange={(event) => setTarget(event.currentTarget.value)}
              w={320}
            />
            <Button type="submit" loading={channels.addEndpoint.isPending} disabled={name.trim() === '' || target.trim() === ''}>
              Add endpoint
            </Button>
          </Group>
        </form>
        {secret ? (
          <Alert color="blue" title="Signing secret" role="status" withCloseButton closeButtonLabel="Dismiss the signing secret" onClose={() => setSecret(null)}>
            <Text size="sm">Give this secret to the receiver to verify signatures. It is shown this once.</Text>
            <Code data-testid="webhook-secret">{secret}</Code>
          </Alert>
        ) : null}
        {mutationError ? <ErrorState error={mutationError} /> : null}
        <QueryState
          query={channels.endpoints}
          isEmpty={(data) => data.length === 0}
          empty={<EmptyState title="No endpoints">Add a webhook, a Teams channel or an email address.</EmptyState>}
        >
          {(data) => (
            <DataTable
              rows={data}
              rowKey={(endpoint) => endpoint.id}
              columns={[
                { header: 'Endpoint', cell: (endpoint) => <Text size="sm">{endpoint.name}</Text> },
                { header: 'Kind', cell: (endpoint) => KIND_OPTIONS.find((option) => option.value === endpoint.kind)?.label ?? endpoint.kind },
                { header: 'Target', cell: (endpoint) => <Text size="sm">{endpoint.target}</Text> },
                {
                  header: 'State',
                  cell: (endpoint) =>
                    endpoint.enabled ? (
                      <Badge color="teal.9" variant="filled">
                        Enabled
                      </Badge>
                    ) : (
                      <Stack gap={2}>
                        <Badge color="red.9" variant="filled">
                          Disabled
                        </Badge>
                        <Text size="xs">{endpoint.disabledReason}</Text>
                      </Stack>
                    ),
                },
                {
                  header: 'Actions',
                  cell: (endpoint) => (
                    <Group gap="xs">
                      <Button size="xs" variant="default" onClick={() => channels.testEndpoint.mutate(endpoint.id)} aria-label={`Send a test to ${endpoint.name}`}>
                        Test
                      </Button>
                      {!endpoint.enabled ? (
                        <Button size="xs" variant="default" onClick={() => channels.enableEndpoint.mutate(endpoint.id)} aria-label={`Enable ${endpoint.name}`}>
                          Enable
                        </Button>
                      ) : null}
                      <Button size="xs" color="red" variant="light" onClick={() => channels.removeEndpoint.mutate(endpoint.id)} aria-label={`Remove ${endpoint.name}`}>
                        Remove
                      </Button>
                    </Group>
                  ),
                },
              ]}
            />
          )}
        </QueryState>

        <Title order={3} size="h5">
          Subscriptions
        </Title>
        <form onSubmit={addSubscription} aria-label="Add a subscription">
          <Stack gap="xs">
            <Group gap="sm" align="end">
              <Select
                label="Endpoint"
                data={(channels.endpoints.data ?? []).filter((endpoint) => endpoint.scope === 'tenant').map((endpoint) => ({ value: endpoint.id, label: endpoint.name }))}
                value={endpointId}
                onChange={setEndpointId}
                w={220}
              />
              <Switch label="Hourly digest" checked={digest} onChange={(event) => setDigest(event.currentTarget.checked)} />
              <Button type="submit" loading={channels.addSubscription.isPending} disabled={!endpointId || events.length === 0}>
                Subscribe
              </Button>
            </Group>
            <Checkbox.Group label="Events" value={events} onChange={(value) => setEvents(value as NotificationEventKindValue[])}>
              <Group gap="md" mt={4}>
                {Object.entries(EVENT_LABELS).map(([value, label]) => (
                  <Checkbox key={value} value={value} label={label} />
                ))}
              </Group>
            </Checkbox.Group>
          </Stack>
        </form>
        <QueryState query={channels.subscriptions} isEmpty={(data) => data.length === 0} empty={<EmptyState title="No subscriptions">Choose an endpoint and events.</EmptyState>}>
          {(data) => (
            <DataTable
              rows={data}
              rowKey={(subscription) => subscription.id}
              columns={[
                { header: 'Endpoint', cell: (subscription) => endpointName(subscription.endpointId) },
                { header: 'Events', cell: (subscription) => subscription.events.map((kind) => EVENT_LABELS[kind as NotificationEventKindValue] ?? kind).join(', ') },
                { header: 'Digest', cell: (subscription) => (subscription.digest ? 'Hourly' : 'Each event') },
                {
                  header: 'Actions',
                  cell: (subscription) => (
                    <Button size="xs" color="red" variant="light" onClick={() => channels.removeSubscription.mutate(subscription.id)} aria-label={`Remove the subscription of ${endpointName(subscription.endpointId)}`}>
                      Remove
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </QueryState>

        <Title order={3} size="h5">
          Dead letters
        </Title>
        <QueryState query={channels.deadLetters} isEmpty={(data) => data.length === 0} empty={<Text size="sm">No delivery was given up.</Text>}>
          {(data) => (
            <DataTable
              rows={data}
              rowKey={(delivery) => delivery.id}
              columns={[
                { header: 'Created', cell: (delivery) => formatDateTime(delivery.createdAt) },
                { header: 'Endpoint', cell: (delivery) => endpointName(delivery.endpointId) },
                { header: 'Event', cell: (delivery) => delivery.eventKind },
                { header: 'Attempts', cell: (delivery) => delivery.attempts },
                { header: 'Last error', cell: (delivery) => delivery.lastError ?? '' },
              ]}
            />
          )}
        </QueryState>
      </Stack>
    </Paper>
  );
}
