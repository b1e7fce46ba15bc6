import { hashKey, type QueryClient, type QueryKey } from '@tanstack/react-query';

/**
 * Invalidation for event streams: the first key of a quiet period is invalidated at once; keys asked for
 * during the next `windowMs` are collected and invalidated together when it ends (each once). With 200 runs
 * changing state, a list is refetched a few times a second instead of once per event.
 */
export function coalescedInvalidation(queryClient: QueryClient, windowMs: number) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    const keys = [...pending.values()];
    pending.clear();
    timer = keys.length > 0 ? setTimeout(flush, windowMs) : undefined;
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  };
  return {
    invalidate(queryKey: QueryKey): void {
      pending.set(hashKey(queryKey), queryKey);
      if (timer === undefined) flush();
    },
    /** Stops the timer; what is pending is dropped (the stream's owner is going away). */
    dispose(): void {
      clearTimeout(timer);
      pending.clear();
    },
  };
}
