/**
 * @jest-environment jsdom
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { renderWithMantine } from '../../test/render';
import { NextRunPreview } from './next-run-preview';
import type { ScheduleTiming } from './schedule-queries';

// The gateway stand-in: records each request and answers with what the test queued (or never, to stay loading).
interface Sent {
  url: string;
  method: string;
  body: unknown;
}
let sent: Sent[] = [];
let answers: Array<{ status: number; body: unknown } | 'never'> = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  sent = [];
  answers = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method ?? 'GET', body: JSON.parse(String(init.body)) });
    const answer = answers.shift() ?? 'never';
    if (answer === 'never') return new Promise(() => undefined);
    return { ok: answer.status < 400, status: answer.status, statusText: '', json: async () => answer.body };
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

function withQueries(element: ReactElement): ReactElement {
  return <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{element}</QueryClientProvider>;
}

const DAILY: ScheduleTiming = { frequency: 'daily', timeOfDay: '02:30', timeZone: 'Europe/Berlin' };
// What run-service answers for DAILY on 27 March 2026: Berlin springs forward on the 29th.
const BERLIN_SLOTS = ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z', '2026-04-01T00:30:00.000Z'];

describe('NextRunPreview', () => {
  it("asks the gateway for the draft's run times and shows each in the user's zone and in the schedule's", async () => {
    answers.push({ status: 200, body: { nextRunTimes: BERLIN_SLOTS, timeZone: 'Europe/Berlin' } });
    renderWithMantine(withQueries(<NextRunPreview tenantId="t-1" timing={DAILY} userTimeZone="Asia/Tokyo" />));

    await screen.findByRole('columnheader', { name: 'Your time (Asia/Tokyo)' });
    expect(screen.getByRole('columnheader', { name: 'Schedule time (Europe/Berlin)' })).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(5);
    const [tokyo, berlin] = within(rows[0]).getAllByRole('cell').map((cell) => cell.textContent ?? '');
    expect(tokyo).toMatch(/28.*10:30/); // 01:30 UTC is 10:30 in Tokyo
    expect(berlin).toMatch(/28.*02:30/);
    // After the clock change 02:30 in Berlin is 00:30 UTC: the times are the answer's, not computed here.
    expect(within(rows[2]).getAllByRole('cell')[0].textContent).toMatch(/30.*09:30/);
    expect(sent).toEqual([{ url: '/api/tenants/t-1/backup-schedules/preview', method: 'POST', body: DAILY }]);
  });

  it("shows the API's validation message when the draft cannot run", async () => {
    answers.push({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: ['daysOfWeek: a weekly schedule needs at least one day'] } });
    renderWithMantine(withQueries(<NextRunPreview tenantId="t-1" timing={{ frequency: 'weekly', daysOfWeek: [], timeOfDay: '02:30', timeZone: 'UTC' }} userTimeZone="UTC" />));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('These settings cannot run');
    expect(alert.textContent).toContain('daysOfWeek: a weekly schedule needs at least one day');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the loading state until the answer for the current draft arrives, and asks again as the draft changes', async () => {
    answers.push({ status: 200, body: { nextRunTimes: BERLIN_SLOTS, timeZone: 'Europe/Berlin' } }, 'never');
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const view = (timing: ScheduleTiming) => (
      <MantineProvider>
        <QueryClientProvider client={client}>
          <NextRunPreview tenantId="t-1" timing={timing} userTimeZone="UTC" />
        </QueryClientProvider>
      </MantineProvider>
    );
    const { rerender } = render(view(DAILY));
    expect(screen.getByRole('status').textContent).toContain('Working out the next run times');
    await screen.findByRole('table');

    const changed = { ...DAILY, timeOfDay: '04:00' };
    rerender(view(changed));
    // The times of the previous draft are not shown for this one: loading while it is asked (its answer never comes).
    expect(screen.getByRole('status').textContent).toContain('Working out the next run times');
    expect(screen.queryByRole('table')).toBeNull();
    await waitFor(() => expect(sent.map((request) => request.body)).toEqual([DAILY, changed]));
    expect(screen.getByRole('status').textContent).toContain('Working out the next run times');
  });
});
