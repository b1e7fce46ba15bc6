/**
 * @jest-environment jsdom
 */
import { jest } from '@jest/globals';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { RunView } from '../api/contracts';
import { runView, TEST_TENANT_ID } from '../../test/run-view';
import { ACTIVE_RUN_RECHECK_MS, useRun } from './run-queries';

const run = (status: string): RunView =>
  runView({
    status: status as RunView['status'],
    counts: { total: 4, succeeded: status === 'succeeded' ? 4 : 1, failed: 0, skipped: 0 },
    finishedAt: status === 'succeeded' ? '2026-12-01T10:00:05Z' : null,
  });

describe('useRun', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
    jest.useRealTimers();
  });

  it('reads a queued or running run again every ACTIVE_RUN_RECHECK_MS (an end the live stream missed shows), and stops once it has ended', async () => {
    jest.useFakeTimers();
    const answers = [run('running'), run('running'), run('succeeded')];
    const requested: string[] = [];
    globalThis.fetch = jest.fn(async (url: string | URL | Request) => {
      requested.push(String(url));
      const body = answers[Math.min(requested.length, answers.length) - 1];
      return { ok: true, status: 200, json: async () => body } as Response;
    }) as typeof fetch;
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useRun(TEST_TENANT_ID, 'run-1'), { wrapper });

    await act(() => jest.advanceTimersByTimeAsync(10));
    expect(result.current.data?.status).toBe('running');
    expect(requested).toEqual([`/api/tenants/${TEST_TENANT_ID}/runs/run-1`]);

    await act(() => jest.advanceTimersByTimeAsync(ACTIVE_RUN_RECHECK_MS - 100));
    expect(requested).toHaveLength(1);
    await act(() => jest.advanceTimersByTimeAsync(200));
    expect(requested).toHaveLength(2);
    await act(() => jest.advanceTimersByTimeAsync(ACTIVE_RUN_RECHECK_MS));
    expect(requested).toHaveLength(3);
    expect(result.current.data?.status).toBe('succeeded');

    // Ended: nothing more to learn.
    await act(() => jest.advanceTimersByTimeAsync(ACTIVE_RUN_RECHECK_MS * 4));
    expect(requested).toHaveLength(3);
  });
});
