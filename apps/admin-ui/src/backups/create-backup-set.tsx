import { Button, Checkbox, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ErrorState } from '../components/query-state';
import { useStartRun } from '../runs/run-queries';
import { useInventoryPolicyTypes } from './backup-queries';

/** Starts a `backup_set.create` run (operator and up) and opens its run page to watch it. */
export function CreateBackupSetButton({ tenantId }: { tenantId: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState('');
  const [policyTypes, setPolicyTypes] = useState<string[]>([]);
  const [includeFoundations, setIncludeFoundations] = useState(true);
  const types = useInventoryPolicyTypes(tenantId, opened);
  const startRun = useStartRun(tenantId);
  const navigate = useNavigate();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    startRun.mutate(
      { type: 'backup_set.create', target: { name: name.trim() }, scope: { ...(policyTypes.length > 0 ? { policyTypes } : {}), includeFoundations } },
      {
        onSuccess: ({ run }) => {
          close();
          void navigate({ to: '/tenants/$tenantId/runs/$runId', params: { tenantId, runId: run.id } });
        },
      },
    );
  };

  return (
    <>
      <Button onClick={open}>Create backup set</Button>
      <Modal opened={opened} onClose={close} title="Create a backup set">
        <form onSubmit={submit}>
          <Stack>
            <TextInput label="Name" required value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={200} data-autofocus />
            <MultiSelect
              label="Policy types"
              description="Leave empty to back up every type in the inventory."
              data={types.data ?? []}
              value={policyTypes}
              onChange={setPolicyTypes}
              searchable
              clearable
              nothingFoundMessage={types.isPending ? 'Loading…' : 'No policy types in the inventory: sync it first'}
            />
            <Checkbox label="Include foundations (scope tags, assignment filters, notification templates)" checked={includeFoundations} onChange={(event) => setIncludeFoundations(event.currentTarget.checked)} />
            {startRun.error ? <ErrorState error={startRun.error} /> : null}
            <Text size="sm" c="dimmed">
              The capture runs in the background; you can follow it on its run page.
            </Text>
            <Button type="submit" loading={startRun.isPending} disabled={name.trim() === ''}>
              Start backup
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
