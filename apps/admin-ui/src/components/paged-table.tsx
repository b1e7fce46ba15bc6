import type { ReactNode } from 'react';
import { CursorPager, type CursorPagerProps } from './cursor-pager';
import { DataTable, type Column, type RowSelection } from './data-table';
import { QueryState } from './query-state';

type ListPage = { items: unknown[]; nextCursor: string | null };
type Row<P extends ListPage> = P['items'][number];

/**
 * A list page of the API as a table with its pager: loading, error and 403 through QueryState, `empty` when the
 * page has no items.
 */
export function PagedTable<P extends ListPage>({
  query,
  empty,
  columns,
  rowKey,
  minWidth,
  selection,
  summary,
  ...pager
}: {
  query: { isPending: boolean; error: unknown; data: P | undefined };
  empty: ReactNode;
  columns: Column<Row<P>>[];
  rowKey: (row: Row<P>) => string;
  minWidth?: number;
  selection?: RowSelection<Row<P>>;
  summary?: (page: P) => ReactNode;
} & Omit<CursorPagerProps, 'nextCursor' | 'summary'>) {
  return (
    <QueryState query={query} isEmpty={(page) => page.items.length === 0} empty={empty}>
      {(page) => (
        <>
          <DataTable minWidth={minWidth} rows={page.items} rowKey={rowKey} columns={columns} selection={selection} />
          <CursorPager {...pager} nextCursor={page.nextCursor} summary={summary?.(page)} />
        </>
      )}
    </QueryState>
  );
}
