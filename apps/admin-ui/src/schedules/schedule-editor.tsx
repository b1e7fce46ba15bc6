import { Button, Checkbox, Group, Modal, MultiSelect, NumberInput, Radio, Select, Stack, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { BackupScheduleFields, BackupScheduleView, DayOfWeek, ScheduleAction, ScheduleFrequency } from '../api/contracts';
import { useInventoryPolicyTypes } from '../backups/backup-queries';
import { browserTimeZone } from '../components/format';
import { ErrorState } from '../components/query-state';
import { NextRunPreview } from './next-run-preview';
import { ACTION_LABELS, DAY_LABELS, FREQUENCY_LABELS } from './schedule-labels';
import { useSaveSchedule } from './schedule-queries';

interface Draft {
  name: string;
  frequency: ScheduleFrequency;
  daysOfWeek: DayOfWeek[];
  timeOfDay: string;
  timeZone: string | null;
  keepLast: number | string;
  action: ScheduleAction;
  policyTypes: string[];
  includeFoundations: boolean;
}

const ACTION_OPTIONS = (Object.entries(ACTION_LABELS) as [ScheduleAction, string][]).map(([value, label]) => ({ value, label }));
const DAY_OPTIONS = Object.entries(DAY_LABELS) as [DayOfWeek, string][];

let timeZones: string[] | undefined;
/** Every IANA zone this browser knows, UTC first, plus the one a saved schedule already has. */
function timeZoneOptions(current: string | null): string[] {
  timeZones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  return current && !timeZones.includes(current) ? [current, ...timeZones] : timeZones;
}

function draftOf(schedule?: BackupScheduleView): Draft {
  return schedule
    ? { ...schedule }
    : { name: '', frequency: 'daily', daysOfWeek: [], timeOfDay: '02:00', timeZone: browserTimeZone(), keepLast: 7, action: 'backup', policyTypes: [], includeFoundations: true };
}

/** The fields sent: what the owner set, days only for weekly schedules, blanks left out (the API names what is missing). */
function fieldsOf(draft: Draft): BackupScheduleFields {
  return {
    name: draft.name.trim(),
    frequency: draft.frequency,
    daysOfWeek: draft.frequency === 'weekly' ? draft.daysOfWeek : [],
    timeOfDay: draft.timeOfDay || undefined,
    timeZone: draft.timeZone ?? undefined,
    keepLast: typeof draft.keepLast === 'number' ? draft.keepLast : undefined,
    action: draft.action,
    policyTypes: draft.policyTypes,
    includeFoundations: draft.includeFoundations,
  };
}

/** Create (no schedule) or edit a schedule in a modal; the next five run times follow the form as it changes. */
export function ScheduleEditor({ tenantId, schedule, opened, onClose }: { tenantId: string; schedule?: BackupScheduleView; opened: boolean; onClose: () => void }) {
  const narrow = useMediaQuery('(max-width: 36em)');
  return (
    <Modal opened={opened} onClose={onClose} title={schedule ? `Edit ${schedule.name}` : 'New schedule'} size="lg" fullScreen={narrow}>
      <ScheduleForm tenantId={tenantId} schedule={schedule} onSaved={onClose} />
    </Modal>
  );
}

function ScheduleForm({ tenantId, schedule, onSaved }: { tenantId: string; schedule?: BackupScheduleView; onSaved: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(schedule));
  const change = (changes: Partial<Draft>) => setDraft((previous) => ({ ...previous, ...changes }));
  const types = useInventoryPolicyTypes(tenantId, true);
  const save = useSaveSchedule(tenantId, schedule?.id);
  const fields = fieldsOf(draft);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(fields, {
      onSuccess: (saved) => {
        notifications.show({ title: schedule ? 'Schedule saved' : 'Schedule created', message: saved.name });
        onSaved();
      },
    });
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput label="Name" required maxLength={200} value={draft.name} onChange={(event) => change({ name: event.currentTarget.value })} data-autofocus />
        <Radio.Group label="Frequency" value={draft.frequency} onChange={(value) => change({ frequency: value as ScheduleFrequency })}>
          <Group mt={4}>
            {(Object.entries(FREQUENCY_LABELS) as [ScheduleFrequency, string][]).map(([value, label]) => (
              <Radio key={value} value={value} label={label} />
            ))}
          </Group>
        </Radio.Group>
        {draft.frequency === 'weekly' ? (
          <Checkbox.Group label="Days" value={draft.daysOfWeek} onChange={(days) => change({ daysOfWeek: days as DayOfWeek[] })}>
            <Group mt={4} gap="sm">
              {DAY_OPTIONS.map(([value, label]) => (
                <Checkbox key={value} value={value} label={label} />
              ))}
            </Group>
          </Checkbox.Group>
        ) : null}
        <Group grow align="start" preventGrowOverflow={false} wrap="wrap">
          <TextInput label="Time of day" type="time" required value={draft.timeOfDay} onChange={(event) => change({ timeOfDay: event.currentTarget.value })} miw={140} />
          <Select
            label="Time zone"
            required
            searchable
            limit={100}
            data={timeZoneOptions(draft.timeZone)}
            value={draft.timeZone}
            onChange={(timeZone) => change({ timeZone })}
            nothingFoundMessage="No such time zone"
            miw={220}
          />
        </Group>
        <NextRunPreview tenantId={tenantId} timing={{ frequency: fields.frequency, daysOfWeek: draft.frequency === 'weekly' ? fields.daysOfWeek : undefined, timeOfDay: fields.timeOfDay, timeZone: fields.timeZone }} />
        <NumberInput
          label="Backup sets to keep"
          description="Retention: after each run, older sets this schedule made beyond this number are removed."
          required
          min={1}
          max={1000}
          allowDecimal={false}
          value={draft.keepLast}
          onChange={(keepLast) => change({ keepLast })}
        />
        <Select label="Each run" data={ACTION_OPTIONS} value={draft.action} onChange={(action) => change({ action: (action as ScheduleAction | null) ?? 'backup' })} allowDeselect={false} />
        <MultiSelect
          label="Policy types"
          description="Leave empty to back up every supported type."
          data={[...new Set([...(types.data ?? []), ...draft.policyTypes])]}
          value={draft.policyTypes}
          onChange={(policyTypes) => change({ policyTypes })}
          searchable
          clearable
          nothingFoundMessage={types.isPending ? 'Loading…' : 'No policy types in the inventory: sync it first'}
        />
        <Checkbox
          label="Include foundations (scope tags, assignment filters, notification templates)"
          checked={draft.includeFoundations}
          onChange={(event) => change({ includeFoundations: event.currentTarget.checked })}
        />
        {save.error ? <ErrorState error={save.error} title="Could not save the schedule" /> : null}
        <Button type="submit" loading={save.isPending} disabled={fields.name === ''}>
          {schedule ? 'Save schedule' : 'Create schedule'}
        </Button>
      </Stack>
    </form>
  );
}
