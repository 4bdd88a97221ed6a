/** @module The dashboard's entry: styles, providers, then the app. */
import '@mantine/core/styles.css';
import './i18n';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/queries';
import { App } from './app';
import { ThemeProviders } from './theme';

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ThemeProviders>
        <App />
      </ThemeProviders>
    </QueryClientProvider>
  </StrictMode>,
);
