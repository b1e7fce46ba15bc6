import { Alert, Badge, Button, Code, Group, List, Modal, Paper, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { TenantDetail } from '../api/contracts';
import { queryKeys } from '../api/query-keys';
import { may } from '../api/roles';
import { formatDateTime } from '../components/format';
import { AnchorLink } from '../components/links';
import { ErrorState, ForbiddenState, QueryState } from '../components/query-state';
import { useLatestRun } from '../runs/latest-run';
import { RUN_STATUS_COLORS } from '../runs/run-labels';
import { useStartRun } from '../runs/run-queries';
import { useCurrentTenant } from '../shell/tenant-layout';
import { MembersSection } from './members-section';
import { NotificationChannelsSection } from './notification-channels-section';
import { HealthBadge } from './tenant-health';
import { useIsAdmin, useRemoveTenant, useTenant, useUpdateTenant } from './tenant-queries';

/** A tenant's administration (owners and MSP administrators): access health, name and tags, members, notification channels, removal. */
export function TenantSettingsPage() {
  const current = useCurrentTenant();
  const tenant = useTenant(current.id);
  const isAdmin = useIsAdmin();
  if (!may(current.role, 'tenant')) return <ForbiddenState message="Only owners of the tenant and MSP administrators manage it." />;
  return (
    <Stack>
      <Title order={1} size="h2">
        Tenant settings
      </Title>
      <QueryState query={tenant}>
        {(data) => (
          <>
            {data.disabledAt ? (
              <Alert color="gray" title="This tenant was removed" role="status">
                Removed {formatDateTime(data.disabledAt)}: no new runs start and its schedules are paused. Its runs, backups and audit events are kept
                until the retention period passes.
              </Alert>
            ) : null}
            <AccessSection tenant={data} />
            {/* Keyed by what it edits: the form starts again from the saved name and tags. */}
            <DetailsSection key={`${data.displayName}\n${data.tags.join('\n')}`} tenant={data} />
            <MembersSection tenantId={data.id} />
            <NotificationChannelsSection tenantId={data.id} />
            {isAdmin && !data.disabledAt ? <RemoveSection tenant={data} /> : null}
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function AccessSection({ tenant }: { tenant: TenantDetail }) {
  const startRun = useStartRun(tenant.id);
  const { run, active } = useLatestRun(tenant.id, 'tenant.verify_access', queryKeys.tenant(tenant.id));
  const health = tenant.health;
  return (
    <Section title="Access">
      <Group gap="sm" data-testid="tenant-health">
        <Text size="sm">Health:</Text>
        <HealthBadge health={health} />
        <Text size="sm" c="dimmed">
          {health ? `checked ${formatDateTime(health.checkedAt)}` : 'not checked yet'}
        </Text>
      </Group>
      {health?.status === 'missing_permissions' ? (
        <div>
          <Text size="sm">The consent lacks these application permissions (policy types that need them cannot be backed up or restored):</Text>
          <List size="sm" aria-label="Missing permissions">
            {health.missingPermissions.map((permission) => (
              <List.Item key={permission}>
                <Code>{permission}</Code>
              </List.Item>
            ))}
          </List>
        </div>
      ) : null}
      {health?.status === 'no_consent' ? <Text size="sm">No administrator of the customer has consented to PolicyVault&apos;s app in this directory yet.</Text> : null}
      {health?.status === 'unreachable' ? <Text size="sm">PolicyVault could not get a token for this directory (it may not exist any more).</Text> : null}
      <Group gap="sm">
        {tenant.disabledAt ? null : (
          <Button
            variant="light"
            loading={startRun.isPending}
            disabled={active}
            onClick={() => startRun.mutate({ type: 'tenant.verify_access', target: {}, scope: {} })}
          >
            Verify access
          </Button>
        )}
        {run ? (
          <Group gap={6}>
            <Text size="sm">Latest check:</Text>
            <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: tenant.id, runId: run.id }} size="sm">
              <Badge color={RUN_STATUS_COLORS[run.status]}>{run.status}</Badge>
            </AnchorLink>
          </Group>
        ) : null}
      </Group>
      {startRun.error ? <ErrorState error={startRun.error} /> : null}
    </Section>
  );
}

function DetailsSection({ tenant }: { tenant: TenantDetail }) {
  const [displayName, setDisplayName] = useState(tenant.displayName);
  const [tags, setTags] = useState(tenant.tags);
  const update = useUpdateTenant(tenant.id);
  const changed = displayName.trim() !== tenant.displayName || tags.join('\n') !== tenant.tags.join('\n');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ ...(displayName.trim() !== tenant.displayName ? { displayName: displayName.trim() } : {}), tags });
  };
  return (
    <Section title="Details">
      <Text size="sm" c="dimmed">
        Directory id <Code>{tenant.directoryId}</Code>, added {formatDateTime(tenant.createdAt)}
      </Text>
      <form onSubmit={submit}>
        <Stack gap="sm" maw={480}>
          <TextInput label="Name" required maxLength={200} value={displayName} onChange={(event) => setDisplayName(event.currentTarget.value)} />
          <TagsInput label="Tags" description="Press Enter after each tag." value={tags} onChange={setTags} maxTags={20} />
          {update.error ? <ErrorState error={update.error} /> : null}
          <Button type="submit" disabled={!changed || displayName.trim() === ''} loading={update.isPending} w="fit-content">
            Save
          </Button>
        </Stack>
      </form>
    </Section>
  );
}

function RemoveSection({ tenant }: { tenant: TenantDetail }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [typed, setTyped] = useState('');
  const remove = useRemoveTenant(tenant.id);
  const show = () => {
    remove.reset();
    setTyped('');
    open();
  };
  return (
    <Section title="Remove the tenant">
      <Text size="sm">
        Removing disables the tenant at once: no new runs start and its schedules are paused. Its runs, backups and audit events are kept until the
        retention period passes.
      </Text>
      <Button color="red.9" variant="outline" onClick={show} w="fit-content">
        Remove tenant
      </Button>
      <Modal opened={opened} onClose={close} title={`Remove ${tenant.displayName}?`}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate(undefined, { onSuccess: close });
          }}
        >
          <Stack>
            <Text size="sm">Type the tenant&apos;s name, {tenant.displayName}, to confirm.</Text>
            <TextInput label="Tenant name" value={typed} onChange={(event) => setTyped(event.currentTarget.value)} data-autofocus autoComplete="off" />
            {remove.error ? <ErrorState error={remove.error} /> : null}
            <Button type="submit" color="red.9" disabled={typed !== tenant.displayName} loading={remove.isPending}>
              Remove tenant
            </Button>
          </Stack>
        </form>
      </Modal>
    </Section>
  );
}
