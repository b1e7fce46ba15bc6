/**
 * @jest-environment jsdom
 */
import { jest } from '@jest/globals';
import { fireEvent, screen } from '@testing-library/react';
import { renderWithMantine } from '../../test/render';
import { CursorPager, NEWEST_FIRST_LABELS } from './cursor-pager';

describe('CursorPager', () => {
  it('on the first page offers only the next page, and moves to its cursor', () => {
    const onCursor = jest.fn();
    renderWithMantine(<CursorPager cursor={undefined} nextCursor="c2" onCursor={onCursor} />);
    expect(screen.queryByRole('button', { name: 'First page' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(onCursor).toHaveBeenCalledWith('c2');
  });

  it('on a later page goes back to the first; on the last page the next button is disabled', () => {
    const onCursor = jest.fn();
    renderWithMantine(<CursorPager cursor="c2" nextCursor={null} onCursor={onCursor} labels={NEWEST_FIRST_LABELS} summary="Older runs" />);
    expect(screen.getByRole('button', { name: 'Older' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
    expect(onCursor).toHaveBeenCalledWith(undefined);
    expect(screen.getByText('Older runs')).toBeTruthy();
  });
});
