// Builds the dashboard SPA into dist/web, which the server serves at `/`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The agreed budget for the entry chunk (react-dom + Mantine); the charts load on their own.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` for the API on 3000, `npx vite --config web/vite.config.ts` for the SPA.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
