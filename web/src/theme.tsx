/** @module The Mantine theme of the dashboard. */
import { createTheme, MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
});

/** The server puts this response's CSP style nonce in a meta tag; Mantine's own <style> elements carry it. */
const styleNonce = () => document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

export function ThemeProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" getStyleNonce={styleNonce}>
      {children}
    </MantineProvider>
  );
}
