// The one pager of the UI's lists: the API answers a page and the cursor of the next; the current cursor is in the URL.
import { Button, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface PagerLabels {
  /** Back to the first page. */
  first: string;
  /** On to the next page. */
  next: string;
}

/** For lists without a time order. */
export const PAGE_LABELS: PagerLabels = { first: 'First page', next: 'Next page' };
/** For lists newest first. */
export const NEWEST_FIRST_LABELS: PagerLabels = { first: 'Newest', next: 'Older' };

export interface CursorPagerProps {
  /** The page shown (undefined: the first). */
  cursor: string | undefined;
  /** The API's cursor of the page after this one (null: this is the last). */
  nextCursor: string | null;
  /** Moves to the page at a cursor, or back to the first page with undefined. */
  onCursor: (cursor: string | undefined) => void;
  labels?: PagerLabels;
  /** A line beside the buttons, e.g. what the page shows or how many there are. */
  summary?: ReactNode;
}

export function CursorPager({ cursor, nextCursor, onCursor, labels = PAGE_LABELS, summary }: CursorPagerProps) {
  const buttons = (
    <Group justify="end" gap="xs">
      {cursor ? (
        <Button variant="default" onClick={() => onCursor(undefined)}>
          {labels.first}
        </Button>
      ) : null}
      <Button variant="default" disabled={!nextCursor} onClick={() => onCursor(nextCursor ?? undefined)}>
        {labels.next}
      </Button>
    </Group>
  );
  if (summary === undefined) return buttons;
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        {summary}
      </Text>
      {buttons}
    </Group>
  );
}
