import { Badge, Code, Group, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { FieldDifference } from '../api/contracts';

/** How one field differs: present on both sides with other values, or on one side only. */
export type DifferenceKind = 'changed' | 'only_before' | 'only_after';

export function differenceKind(difference: FieldDifference): DifferenceKind {
  if (!('live' in difference) || difference.live === undefined) return 'only_before';
  if (!('snapshot' in difference) || difference.snapshot === undefined) return 'only_after';
  return 'changed';
}

/**
 * A value as the diff shows it: absent fields as an em dash, strings as they are (the compare module's
 * secret markers are strings: "secret value", "secret value, changed"), anything else as indented JSON.
 */
export function formatDiffValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** Rows whose path contains every word of the filter (case-insensitive), in the order the API gave. */
export function filterDifferences(differences: FieldDifference[], filter: string): FieldDifference[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return differences;
  return differences.filter((difference) => words.every((word) => difference.path.toLowerCase().includes(word)));
}

const FILTER_FROM = 8;

/**
 * Side by side, field by field: `snapshot` is the left ("before": a backup, an older version, a baseline),
 * `live` the right ("after": the tenant now, a newer version). The API computes the differences; this only shows them.
 */
export function DiffView({ differences, beforeLabel, afterLabel, caption }: { differences: FieldDifference[]; beforeLabel: string; afterLabel: string; caption: string }) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => filterDifferences(differences, filter), [differences, filter]);
  if (differences.length === 0) return <Text c="dimmed">No differences: {beforeLabel.toLowerCase()} and {afterLabel.toLowerCase()} are the same.</Text>;
  const kindLabel: Record<DifferenceKind, string> = { changed: 'changed', only_before: `only in ${beforeLabel.toLowerCase()}`, only_after: `only in ${afterLabel.toLowerCase()}` };
  // Filled shades with WCAG AA contrast (as RUN_STATUS_COLORS: black on yellow through autoContrast).
  const kindColor: Record<DifferenceKind, string> = { changed: 'yellow.4', only_before: 'red.9', only_after: 'teal.9' };
  return (
    <div>
      {differences.length >= FILTER_FROM ? (
        <TextInput label="Filter fields" placeholder="e.g. passwordMinimumLength" value={filter} onChange={(event) => setFilter(event.currentTarget.value)} mb="xs" maw={360} />
      ) : null}
      <Table.ScrollContainer minWidth={640}>
        <Table striped verticalSpacing="xs" layout="fixed" captionSide="top">
          <Table.Caption>
            {caption}: {differences.length} field{differences.length === 1 ? '' : 's'} differ{differences.length === 1 ? 's' : ''}
            {shown.length !== differences.length ? `, ${shown.length} shown` : ''}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="28%">Field</Table.Th>
              <Table.Th>{beforeLabel}</Table.Th>
              <Table.Th>{afterLabel}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((difference) => {
              const kind = differenceKind(difference);
              return (
                <Table.Tr key={difference.path} data-kind={kind}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    <Group gap={6} wrap="wrap">
                      <Code>{difference.path}</Code>
                      <Badge size="xs" variant="filled" color={kindColor[kind]}>
                        {kindLabel[kind]}
                      </Badge>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                      {formatDiffValue(difference.snapshot)}
                    </Code>
                  </Table.Td>
                  <Table.Td>
                    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                      {formatDiffValue(difference.live)}
                    </Code>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}
