/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithMantine } from '../../test/render';
import { DiffView, differenceKind, filterDifferences, formatDiffValue } from './diff-view';

const differences = [
  { path: 'passwordMinimumLength', snapshot: 12, live: 8 },
  { path: 'omaSettings[0].value', snapshot: 'secret value', live: 'secret value, changed' },
  { path: 'description', snapshot: 'Baseline' },
  { path: 'assignments[1].target', live: { groupId: 'g-2' } },
];

describe('DiffView', () => {
  it('tells changed fields from fields present on one side only', () => {
    expect(differences.map(differenceKind)).toEqual(['changed', 'changed', 'only_before', 'only_after']);
    expect(differenceKind({ path: 'x', snapshot: null, live: 1 })).toBe('changed');
  });

  it('shows absent values as a dash, strings as they are and objects as indented JSON', () => {
    expect(formatDiffValue(undefined)).toBe('—');
    expect(formatDiffValue('secret value')).toBe('secret value');
    expect(formatDiffValue({ groupId: 'g-2' })).toBe('{\n  "groupId": "g-2"\n}');
    expect(formatDiffValue(null)).toBe('null');
  });

  it('filters by every word of the filter against the path', () => {
    expect(filterDifferences(differences, 'ASSIGN target').map((row) => row.path)).toEqual(['assignments[1].target']);
    expect(filterDifferences(differences, '  ')).toHaveLength(4);
  });

  it('renders one row per field, before on the left and after on the right, with the kind named', () => {
    renderWithMantine(<DiffView differences={differences} beforeLabel="Backup" afterLabel="Live" caption="Device restrictions" />);
    expect(screen.getByText('Device restrictions: 4 fields differ')).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    const cells = within(rows[0]).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells).toEqual(['passwordMinimumLengthchanged', '12', '8']);
    expect(within(rows[2]).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['descriptiononly in backup', 'Baseline', '—']);
    expect(within(rows[3]).getByText('only in live')).toBeTruthy();
    // Secret values show as the compare module's markers, never as values.
    expect(within(rows[1]).getByText('secret value, changed')).toBeTruthy();
  });

  it('says so when nothing differs, and offers a filter only for long lists', () => {
    const { unmount } = renderWithMantine(<DiffView differences={[]} beforeLabel="Version 1" afterLabel="Version 2" caption="x" />);
    expect(screen.getByText('No differences: version 1 and version 2 are the same.')).toBeTruthy();
    unmount();
    const many = Array.from({ length: 9 }, (_, index) => ({ path: `field${index}`, snapshot: index, live: index + 1 }));
    renderWithMantine(<DiffView differences={many} beforeLabel="Before" afterLabel="After" caption="Policy" />);
    fireEvent.change(screen.getByRole('textbox', { name: 'Filter fields' }), { target: { value: 'field3' } });
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(screen.getByText('Policy: 9 fields differ, 1 shown')).toBeTruthy();
  });
});
