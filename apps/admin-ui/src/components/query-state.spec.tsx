/**
 * @jest-environment jsdom
 */
import { screen } from '@testing-library/react';
import { renderWithMantine } from '../../test/render';
import { ApiError } from '../api/api-error';
import { QueryState } from './query-state';

const page = (items: string[]) => ({ isPending: false, error: null, data: { items } });

function view(query: { isPending: boolean; error: unknown; data: { items: string[] } | undefined }) {
  return renderWithMantine(
    <QueryState query={query} isEmpty={(data) => data.items.length === 0} empty={<p>No runs</p>}>
      {(data) => <ul>{data.items.map((item) => <li key={item}>{item}</li>)}</ul>}
    </QueryState>,
  );
}

describe('QueryState', () => {
  it('shows loading while pending', () => {
    view({ isPending: true, error: null, data: undefined });
    expect(screen.getByRole('status')).toHaveProperty('textContent', 'Loading…');
  });

  it("shows the API's message for an error", () => {
    view({ isPending: false, error: new ApiError(503, 'run-service did not answer in time'), data: undefined });
    expect(screen.getByRole('alert').textContent).toContain('run-service did not answer in time');
  });

  it('shows the forbidden state for a 403, with the reason', () => {
    view({ isPending: false, error: new ApiError(403, 'you are not a member of this tenant'), data: undefined });
    expect(screen.getByRole('heading', { name: 'You do not have access' })).toBeTruthy();
    expect(screen.getByTestId('forbidden-state').textContent).toContain('you are not a member of this tenant');
  });

  it('shows the empty state, then the data', () => {
    const { unmount } = view(page([]));
    expect(screen.getByText('No runs')).toBeTruthy();
    unmount();
    view(page(['first run']));
    expect(screen.getByRole('listitem').textContent).toBe('first run');
  });
});
