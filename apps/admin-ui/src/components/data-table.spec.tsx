/**
 * @jest-environment jsdom
 */
import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { renderWithMantine } from '../../test/render';
import { DataTable } from './data-table';

interface Row {
  id: string;
  name: string;
  locked: boolean;
}

const rows: Row[] = [
  { id: 'a', name: 'Contoso', locked: false },
  { id: 'b', name: 'Fabrikam', locked: true },
  { id: 'c', name: 'Northwind', locked: false },
];

function Selectable({ onChange }: { onChange: (keys: string[]) => void }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  return (
    <DataTable
      rows={rows}
      rowKey={(row) => row.id}
      columns={[{ header: 'Name', headerContent: <button type="button">Name ↑</button>, sort: 'ascending', cell: (row) => row.name }]}
      selection={{
        selected,
        onChange: (next) => {
          setSelected(next);
          onChange([...next].sort());
        },
        label: (row) => `Select ${row.name}`,
        selectable: (row) => !row.locked,
      }}
    />
  );
}

describe('DataTable row selection', () => {
  it('offers a checkbox per selectable row and one for the page that selects only those', () => {
    const changes: string[][] = [];
    renderWithMantine(<Selectable onChange={(keys) => changes.push(keys)} />);
    expect(screen.queryByRole('checkbox', { name: 'Select Fabrikam' })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Northwind' }));
    expect(changes.at(-1)).toEqual(['c']);
    const all = screen.getByRole('checkbox', { name: 'Select all rows on this page' }) as HTMLInputElement;
    expect(all.checked).toBe(false);
    expect(all.getAttribute('data-indeterminate')).toBe('true');
    fireEvent.click(all);
    expect(changes.at(-1)).toEqual(['a', 'c']);
    expect((screen.getByRole('checkbox', { name: 'Select all rows on this page' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all rows on this page' }));
    expect(changes.at(-1)).toEqual([]);
  });

  it('shows a column header’s content and its aria-sort', () => {
    renderWithMantine(<Selectable onChange={() => undefined} />);
    const header = screen.getByRole('columnheader', { name: 'Name ↑' });
    expect(header.getAttribute('aria-sort')).toBe('ascending');
  });
});
