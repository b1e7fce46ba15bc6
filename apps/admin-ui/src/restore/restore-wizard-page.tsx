import { Alert, Badge, Button, Checkbox, Group, Radio, ScrollArea, Select, Stack, Stepper, Text, TextInput, Title, useMatches } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useState, type FormEvent } from 'react';
import type { BackupSetView, RunView, Tenant } from '../api/contracts';
import { AnchorLink } from '../components/links';
import { EmptyState, ErrorState, ForbiddenState, LoadingState, QueryState } from '../components/query-state';
import { isActiveStatus } from '../live/active-runs.reducer';
import { useBackupSet } from '../backups/backup-queries';
import { RunItems, RunProgress } from '../runs/run-detail-page';
import { RunStatusBadge } from '../runs/run-status-badge';
import { may } from '../api/roles';
import { useRun, useStartRun, useTenants } from '../runs/run-queries';
import { useCurrentTenant } from '../shell/tenant-layout';
import { RestorePreviewView } from './restore-preview';
import { useAllBackupItems, useRestorePreview } from './restore-queries';
import {
  confirmationMatches,
  filterBackupItems,
  RESTORE_STEPS,
  restoreScope,
  restoreTarget,
  restoreTargetTenants,
  searchForStep,
  selectionIsEmpty,
  wizardStep,
  type ItemSelection,
  type RestoreWizardSearch,
} from './restore-wizard';

const route = getRouteApi('/app/tenants/$tenantId/backup-sets/$setId/restore');

/** The restore wizard: choose items and target → preview → confirm by typing the tenant's name → restore, live → results. */
export function RestoreWizardPage() {
  const tenant = useCurrentTenant();
  const { setId } = route.useParams();
  const set = useBackupSet(tenant.id, setId);
  if (!may(tenant.role, 'restore.preview')) return <ForbiddenState message={`Restoring needs the operator role in ${tenant.displayName}; you are ${tenant.role}.`} />;
  return <QueryState query={set}>{(backupSet) => <RestoreWizard source={tenant} backupSet={backupSet} />}</QueryState>;
}

function RestoreWizard({ source, backupSet }: { source: Tenant; backupSet: BackupSetView }) {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tenants = useTenants();
  const targets = restoreTargetTenants(tenants.data?.items ?? []);
  const target = targets.find((candidate) => candidate.id === (search.target ?? source.id));
  const restoreRun = useRun(target?.id ?? source.id, search.restore);
  const step = wizardStep(search, restoreRun.data);
  const go = (next: RestoreWizardSearch) => void navigate({ search: next });
  const orientation = useMatches<'vertical' | 'horizontal'>({ base: 'vertical', sm: 'horizontal' });

  if (tenants.isPending) return <LoadingState />;
  if (!target) return <ForbiddenState message="You may not restore into that tenant." />;
  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1} size="h2">
          Restore {backupSet.name}
        </Title>
        <Text size="sm" c="dimmed">
          From{' '}
          <AnchorLink to="/tenants/$tenantId/backup-sets/$setId" params={{ tenantId: source.id, setId: backupSet.id }} underline="always">
            {backupSet.name}
          </AnchorLink>{' '}
          of {source.displayName} into {target.displayName}
          {target.id !== source.id ? ' (another tenant)' : ''}.
        </Text>
      </Stack>
      <Stepper
        active={step}
        onStepClick={(index) => go(searchForStep(search, index))}
        allowNextStepsSelect={false}
        size="sm"
        orientation={orientation}
      >
        <Stepper.Step label={RESTORE_STEPS[0]} description="Items and target" allowStepSelect={!search.restore && step > 0}>
          <ChooseStep source={source} backupSet={backupSet} targets={targets} target={target} onPreview={(runId, targetId) => go({ target: targetId === source.id ? undefined : targetId, preview: runId })} onTarget={(targetId) => go({ target: targetId === source.id ? undefined : targetId })} />
        </Stepper.Step>
        <Stepper.Step label={RESTORE_STEPS[1]} description="What would change" allowStepSelect={!search.restore && step > 1}>
          {search.preview ? <PreviewStep target={target} previewRunId={search.preview} onContinue={() => go({ ...search, confirm: true })} onBack={() => go(searchForStep(search, 0))} /> : null}
        </Stepper.Step>
        <Stepper.Step label={RESTORE_STEPS[2]} description="Type the tenant's name" allowStepSelect={false}>
          {search.preview ? <ConfirmStep target={target} previewRunId={search.preview} onStarted={(runId) => go({ ...search, restore: runId })} onBack={() => go(searchForStep(search, 1))} /> : null}
        </Stepper.Step>
        <Stepper.Step label={RESTORE_STEPS[3]} description="Live progress" allowStepSelect={false} loading={step === 3}>
          <QueryState query={restoreRun}>{(run) => <RestoreRunView target={target} run={run} />}</QueryState>
        </Stepper.Step>
        <Stepper.Completed>
          <QueryState query={restoreRun}>{(run) => <RestoreRunView target={target} run={run} />}</QueryState>
        </Stepper.Completed>
      </Stepper>
    </Stack>
  );
}

function ChooseStep({
  source,
  backupSet,
  targets,
  target,
  onPreview,
  onTarget,
}: {
  source: Tenant;
  backupSet: BackupSetView;
  targets: Tenant[];
  target: Tenant;
  onPreview: (runId: string, targetId: string) => void;
  onTarget: (targetId: string) => void;
}) {
  const items = useAllBackupItems(source.id, backupSet.id);
  const [selection, setSelection] = useState<ItemSelection>({ mode: 'all' });
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => filterBackupItems(items.data ?? [], filter), [items.data, filter]);
  const startRun = useStartRun(target.id);
  const picked = selection.mode === 'pick' ? selection.ids : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    startRun.mutate(
      { type: 'restore.preview', target: restoreTarget(backupSet.id, source.id, target.id), scope: restoreScope(selection) },
      { onSuccess: ({ run }) => onPreview(run.id, target.id) },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack mt="md">
        <Select
          label="Restore into"
          description={targets.length > 1 ? 'The same tenant, or another tenant you may restore to (cross-tenant).' : undefined}
          data={targets.map((candidate) => ({ value: candidate.id, label: candidate.id === source.id ? `${candidate.displayName} (this tenant)` : candidate.displayName }))}
          value={target.id}
          onChange={(value) => value && onTarget(value)}
          allowDeselect={false}
          maw={420}
        />
        <QueryState query={items} isEmpty={(list) => list.length === 0} empty={<EmptyState title="No items">This backup set holds nothing to restore.</EmptyState>}>
          {(list) => (
            <Stack gap="xs">
              <Radio.Group label="Items" value={selection.mode} onChange={(mode) => setSelection(mode === 'all' ? { mode: 'all' } : { mode: 'pick', ids: picked })}>
                <Group mt={4}>
                  <Radio value="all" label={`All ${list.length} items`} />
                  <Radio value="pick" label="Pick items" />
                </Group>
              </Radio.Group>
              {selection.mode === 'pick' ? (
                <Stack gap="xs">
                  <TextInput label="Search items" placeholder="Name or policy type" value={filter} onChange={(event) => setFilter(event.currentTarget.value)} maw={420} />
                  <Group gap="xs">
                    <Button size="xs" variant="default" onClick={() => setSelection({ mode: 'pick', ids: [...new Set([...picked, ...shown.map((item) => item.id)])] })}>
                      Select shown
                    </Button>
                    <Button size="xs" variant="default" onClick={() => setSelection({ mode: 'pick', ids: [] })}>
                      Clear
                    </Button>
                    <Text size="sm" c="dimmed" aria-live="polite">
                      {picked.length} of {list.length} selected
                    </Text>
                  </Group>
                  <ScrollArea.Autosize mah={360} type="auto">
                    <Checkbox.Group label="Backup items" value={picked} onChange={(ids) => setSelection({ mode: 'pick', ids })}>
                      <Stack gap={6} mt={4}>
                        {shown.map((item) => (
                          <Checkbox key={item.id} value={item.id} label={item.displayName} description={`${item.policyType}${item.isFoundation ? ' · foundation' : ''}`} />
                        ))}
                        {shown.length === 0 ? <Text size="sm">No item matches the search.</Text> : null}
                      </Stack>
                    </Checkbox.Group>
                  </ScrollArea.Autosize>
                </Stack>
              ) : null}
            </Stack>
          )}
        </QueryState>
        {startRun.error ? <ErrorState error={startRun.error} /> : null}
        <Text size="sm" c="dimmed">
          The preview reads {target.displayName} and compares it with the backup; it writes nothing.
        </Text>
        <Group>
          <Button type="submit" loading={startRun.isPending} disabled={!items.data || items.data.length === 0 || selectionIsEmpty(selection)}>
            Preview restore
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PreviewStep({ target, previewRunId, onContinue, onBack }: { target: Tenant; previewRunId: string; onContinue: () => void; onBack: () => void }) {
  const run = useRun(target.id, previewRunId);
  const finished = run.data !== undefined && !isActiveStatus(run.data.status);
  const preview = useRestorePreview(target.id, previewRunId, finished && run.data?.status !== 'failed' && run.data?.status !== 'canceled');
  return (
    <Stack mt="md">
      <QueryState query={run}>
        {(previewRun) =>
          isActiveStatus(previewRun.status) ? (
            <Stack gap="xs">
              <Group gap="xs">
                <Text fw={600}>Computing the preview</Text>
                <RunStatusBadge status={previewRun.status} prominent />
              </Group>
              <RunProgress run={previewRun} />
            </Stack>
          ) : previewRun.status === 'failed' || previewRun.status === 'canceled' ? (
            <Stack gap="xs">
              <Alert color="red" title={`The preview ${previewRun.status}`} role="alert">
                {previewRun.error?.message ?? 'It computed no plan.'}
              </Alert>
              <Group>
                <Button variant="default" onClick={onBack}>
                  Back
                </Button>
              </Group>
            </Stack>
          ) : (
            <QueryState query={preview}>
              {(data) => (
                <Stack>
                  <RestorePreviewView preview={data} />
                  <Group>
                    <Button variant="default" onClick={onBack}>
                      Back
                    </Button>
                    <Button onClick={onContinue}>Continue to confirm</Button>
                  </Group>
                </Stack>
              )}
            </QueryState>
          )
        }
      </QueryState>
    </Stack>
  );
}

function ConfirmStep({ target, previewRunId, onStarted, onBack }: { target: Tenant; previewRunId: string; onStarted: (runId: string) => void; onBack: () => void }) {
  const previewRun = useRun(target.id, previewRunId);
  const preview = useRestorePreview(target.id, previewRunId, previewRun.data !== undefined && !isActiveStatus(previewRun.data.status));
  const [typed, setTyped] = useState('');
  const startRun = useStartRun(target.id);
  const matches = confirmationMatches(typed, target.displayName);

  if (!may(target.role, 'restore.execute')) {
    return (
      <Stack mt="md">
        <Alert color="yellow" title="An owner restores">
          Only an owner of {target.displayName} may execute a restore; you are {target.role} there. Send an owner this page: the preview is kept in its link.
        </Alert>
        <Group>
          <Button variant="default" onClick={onBack}>
            Back to the preview
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const run = previewRun.data;
    if (!run || !matches) return;
    // Exactly what was previewed: the preview run's target and scope.
    startRun.mutate({ type: 'restore.execute', target: run.target, scope: run.scope, confirmation: { tenantName: typed.trim() } }, { onSuccess: ({ run: started }) => onStarted(started.id) });
  };

  const totals = preview.data?.page.totals;
  return (
    <form onSubmit={submit}>
      <Stack mt="md" maw={560}>
        <Alert color="red" title={`This writes into ${target.displayName}`}>
          {totals
            ? `${totals.create} to create and ${totals.update} to update, as the preview showed; ${totals.no_change} unchanged, ${totals.skipped + totals.ambiguous} not written.`
            : 'The policies the preview found different are written back as they were in the backup.'}{' '}
          This cannot be undone by PolicyVault except by another restore.
        </Alert>
        <TextInput
          label={`Type the tenant's name, ${target.displayName}, to confirm`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          error={typed !== '' && !matches ? 'Not the name of the tenant (it is case-sensitive)' : undefined}
          data-autofocus
        />
        {startRun.error ? <ErrorState error={startRun.error} /> : null}
        <Group>
          <Button variant="default" onClick={onBack}>
            Back to the preview
          </Button>
          <Button type="submit" color="red.9" disabled={!matches || !previewRun.data} loading={startRun.isPending}>
            Restore now
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RestoreRunView({ target, run }: { target: Tenant; run: RunView }) {
  const active = isActiveStatus(run.status);
  return (
    <Stack mt="md">
      <Group gap="xs">
        <Title order={2} size="h3">
          {active ? 'Restoring' : 'Restore results'}
        </Title>
        <RunStatusBadge status={run.status} prominent />
        {run.cancelRequested && active ? <Badge color="yellow.4">stopping</Badge> : null}
      </Group>
      <RunProgress run={run} />
      <Text size="sm">
        <AnchorLink to="/tenants/$tenantId/runs/$runId" params={{ tenantId: target.id, runId: run.id }} underline="always">
          Open the restore's run page
        </AnchorLink>{' '}
        (its audit event, cancel while it runs).
      </Text>
      <RunItems tenantId={target.id} runId={run.id} status={run.status} />
    </Stack>
  );
}
