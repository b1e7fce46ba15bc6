import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-error';

/** The one query cache of the app (server state): the provider in main.tsx and the router's prefetching loaders share it. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers (403, 404, 400) will not change on retry; 503s and network errors may.
      retry: (failureCount, error) => !(error instanceof ApiError && error.status < 500) && failureCount < 2,
      staleTime: 5_000,
    },
  },
});
