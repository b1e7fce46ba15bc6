import { Checkbox, Table } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  /** Shown in the header cell instead of `header` (e.g. a sort button); `header` stays the column's key. */
  headerContent?: ReactNode;
  /** The column's aria-sort, for a table the user can order by it. */
  sort?: 'ascending' | 'descending' | 'none';
  cell: (row: T) => ReactNode;
}

/** Rows the user can pick (checkbox per row, one for the page) for a bulk action. */
export interface RowSelection<T> {
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
  /** The accessible name of a row's checkbox, e.g. "Select Contoso". */
  label: (row: T) => string;
  /** Rows that cannot be picked (no checkbox is offered); all by default. */
  selectable?: (row: T) => boolean;
}

/** Mantine's Table with a header row and one row per item, scrolling sideways on narrow screens. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  minWidth = 560,
  selection,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  minWidth?: number;
  selection?: RowSelection<T>;
}) {
  const selectable = selection ? rows.filter((row) => selection.selectable?.(row) ?? true).map(rowKey) : [];
  const selectedHere = selectable.filter((key) => selection?.selected.has(key));
  const toggle = (keys: string[], on: boolean) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    for (const key of keys) {
      if (on) next.add(key);
      else next.delete(key);
    }
    selection.onChange(next);
  };
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {selection ? (
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Select all rows on this page"
                  checked={selectable.length > 0 && selectedHere.length === selectable.length}
                  indeterminate={selectedHere.length > 0 && selectedHere.length < selectable.length}
                  disabled={selectable.length === 0}
                  onChange={(event) => toggle(selectable, event.currentTarget.checked)}
                />
              </Table.Th>
            ) : null}
            {columns.map((column) => (
              <Table.Th key={column.header} aria-sort={column.sort}>
                {column.headerContent ?? column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <Table.Tr key={key} data-selected={selection?.selected.has(key) || undefined}>
                {selection ? (
                  <Table.Td>
                    {(selection.selectable?.(row) ?? true) ? (
                      <Checkbox aria-label={selection.label(row)} checked={selection.selected.has(key)} onChange={(event) => toggle([key], event.currentTarget.checked)} />
                    ) : null}
                  </Table.Td>
                ) : null}
                {columns.map((column) => (
                  <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
