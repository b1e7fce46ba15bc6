import { Accordion, Alert, Badge, Group, List, Stack, Text } from '@mantine/core';
import type { RestorePreviewItemView } from '../api/contracts';
import { DiffView } from '../components/diff-view';
import { formatDateTime } from '../components/format';
import type { RestorePreview } from './restore-queries';
import { reasonText, RESTORE_ACTION_COLORS, RESTORE_ACTION_LABELS, sortPreviewItems } from './restore-wizard';
import type { RestoreAction } from '../api/contracts';

const ACTIONS = Object.keys(RESTORE_ACTION_LABELS) as RestoreAction[];

export function ActionBadge({ action }: { action: RestoreAction }) {
  return (
    <Badge color={RESTORE_ACTION_COLORS[action]} variant="filled" autoContrast>
      {RESTORE_ACTION_LABELS[action]}
    </Badge>
  );
}

/** A restore preview: totals, then per item what a restore would do, why, what it cannot map, and the field differences. */
export function RestorePreviewView({ preview }: { preview: RestorePreview }) {
  const items = sortPreviewItems(preview.items);
  return (
    <Stack gap="sm">
      <Group gap="xs" aria-label="Preview totals" role="list">
        {ACTIONS.map((action) => (
          <Group key={action} gap={4} role="listitem">
            <ActionBadge action={action} />
            <Text size="sm" fw={600}>
              {preview.page.totals[action]}
            </Text>
          </Group>
        ))}
      </Group>
      <Text size="sm" c="dimmed">
        Computed {formatDateTime(preview.page.computedAt)}. Nothing has been written yet; open an item to see its differences.
      </Text>
      <Accordion multiple variant="separated" chevronPosition="left">
        {items.map((item) => (
          <Accordion.Item key={item.backupItemId} value={item.backupItemId} data-action={item.action}>
            <Accordion.Control aria-label={`${item.displayName}: ${RESTORE_ACTION_LABELS[item.action]}`}>
              <Group gap="xs" wrap="wrap">
                <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {item.displayName}
                </Text>
                <ActionBadge action={item.action} />
                <Text size="xs" c="dimmed">
                  {item.policyType}
                </Text>
                {item.unmapped.length > 0 ? (
                  <Badge color="red.9" variant="outline">
                    {item.unmapped.length} unmapped
                  </Badge>
                ) : null}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <PreviewItemDetails item={item} />
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}

function PreviewItemDetails({ item }: { item: RestorePreviewItemView }) {
  return (
    <Stack gap="sm">
      {item.reason ? (
        <Text size="sm">
          Reason: <strong>{reasonText(item.reason)}</strong>
        </Text>
      ) : null}
      {item.matchedBy ? (
        <Text size="sm" c="dimmed">
          Matched to the live object by {item.matchedBy === 'id' ? 'its original id' : 'display name and type'}.
        </Text>
      ) : null}
      {item.ambiguity ? (
        <Alert color="yellow" title="Not restored: more than one live object could be meant">
          {reasonText(item.ambiguity.reason)}; candidates: {item.ambiguity.candidateIds.join(', ') || '—'}
        </Alert>
      ) : null}
      {item.unmapped.length > 0 ? (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            References the target tenant cannot resolve
          </Text>
          <List size="sm">
            {item.unmapped.map((reference) => (
              <List.Item key={`${reference.kind}:${reference.id}`}>
                {reference.kind} {reference.name ?? reference.id}: {reasonText(reference.reason)}
                {reference.blocking ? ' (its assignments are not restored)' : ''}
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
      {item.action === 'update' || item.differences.length > 0 ? (
        <DiffView differences={item.differences} beforeLabel="Backup" afterLabel="Live" caption={item.displayName} />
      ) : item.action === 'create' ? (
        <Text size="sm">Not in the tenant: it will be created from the backup.</Text>
      ) : item.action === 'no_change' ? (
        <Text size="sm">The live object matches the backup.</Text>
      ) : null}
    </Stack>
  );
}
