/**
 * Runs `task` over `items` with at most `limit` at once, calling `checkpoint` (the job's) before each
 * item. Once the checkpoint throws (cancel, shutdown) or a task fails, no new item starts; the running
 * ones are awaited (their side effects settle) and the first error is rethrown.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  checkpoint: () => Promise<void> = async () => undefined,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      try {
        await checkpoint();
        // Another lane may have failed or taken the last item while this one waited.
        if (failure || next >= items.length) return;
        await task(items[next++]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
