import { Button, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import type { RunTypeValue } from '../api/contracts';
import { ErrorState } from '../components/query-state';
import { RUN_TYPE_LABELS } from '../runs/run-labels';
import { useStartFleetRun } from './fleet-queries';

/** The backup's default name: the day it was taken, in the user's zone. */
function defaultBackupName(): string {
  return `Fleet backup ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date())}`;
}

/**
 * A bulk action of the fleet: confirms what starts in how many tenants (a backup asks for the sets' name),
 * then POST /api/fleet/runs; `onStarted` gets the batch to follow.
 */
export function FleetRunButton({ type, label, tenantIds, onStarted }: { type: RunTypeValue; label: string; tenantIds: string[]; onStarted: (batchId: string) => void }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [name, setName] = useState('');
  const start = useStartFleetRun();
  const isBackup = type === 'backup_set.create';
  const count = `${tenantIds.length} tenant${tenantIds.length === 1 ? '' : 's'}`;

  const show = () => {
    start.reset();
    setName(defaultBackupName());
    open();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate(
      { type, target: isBackup ? { name: name.trim() } : {}, tenantIds },
      {
        onSuccess: (batch) => {
          close();
          onStarted(batch.id);
        },
      },
    );
  };

  return (
    <>
      <Button variant="light" onClick={show} disabled={tenantIds.length === 0}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={`${label} in ${count}?`}>
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">
              One {RUN_TYPE_LABELS[type].toLowerCase()} run starts in each of the {count}; a tenant where the same work is already running keeps that run.
              {isBackup ? '' : ' Each tenant is compared with its latest backup.'}
            </Text>
            {isBackup ? <TextInput label="Backup set name" required value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={200} data-autofocus /> : null}
            {start.error ? <ErrorState error={start.error} /> : null}
            <Button type="submit" loading={start.isPending} disabled={isBackup && name.trim() === ''}>
              {label}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
