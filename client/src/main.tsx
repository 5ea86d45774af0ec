import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AppRoutes } from './app-routes.tsx';
import { ApiRequestError } from './api/client.ts';
import { accountKeys } from './api/account-queries.ts';
import './styles.css';

const queryClient: QueryClient = new QueryClient({
  // Most writes leave a line in the audit log; an open audit list shows it at once (only a list on screen refetches).
  mutationCache: new MutationCache({ onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.audit() }) }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiRequestError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AppRoutes />
      </QueryClientProvider>
    </StrictMode>,
  );
}
