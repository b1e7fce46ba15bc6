import { Stack, Text } from '@mantine/core';
import { useId } from 'react';
import type { BackupSchedulePreview } from '../api/contracts';
import { DataTable } from '../components/data-table';
import { browserTimeZone, formatDateTimeInZone } from '../components/format';
import { ErrorState, LoadingState } from '../components/query-state';
import { useSchedulePreview, type ScheduleTiming } from './schedule-queries';

/**
 * The next five run times of a draft, live while it is edited: computed by the gateway from run-service's
 * scheduler (never here), shown in the user's zone and in the schedule's. Invalid timing shows the API's message.
 */
export function NextRunPreview({ tenantId, timing, userTimeZone = browserTimeZone() }: { tenantId: string; timing: ScheduleTiming; userTimeZone?: string }) {
  const preview = useSchedulePreview(tenantId, timing);
  const headingId = useId();
  return (
    <Stack component="section" aria-labelledby={headingId} gap="xs">
      <Text id={headingId} fw={600}>
        Next five runs
      </Text>
      {preview.error ? (
        <ErrorState error={preview.error} title="These settings cannot run" />
      ) : preview.isPending || !preview.data ? (
        <LoadingState label="Working out the next run times…" />
      ) : (
        <RunTimes preview={preview.data} userTimeZone={userTimeZone} />
      )}
    </Stack>
  );
}

function RunTimes({ preview: { nextRunTimes, timeZone }, userTimeZone }: { preview: BackupSchedulePreview; userTimeZone: string }) {
  return (
    <DataTable
      minWidth={320}
      rows={nextRunTimes}
      rowKey={(instant) => instant}
      columns={[
        { header: `Your time (${userTimeZone})`, cell: (instant) => formatDateTimeInZone(instant, userTimeZone) },
        { header: `Schedule time (${timeZone})`, cell: (instant) => formatDateTimeInZone(instant, timeZone) },
      ]}
    />
  );
}
