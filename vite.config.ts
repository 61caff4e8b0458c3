import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './scripts/pwaPlugin';

const apiTarget = process.env.API_TARGET ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [react(), serviceWorkerPlugin()],
  // Hidden source maps: written to dist for upload to an error tracker, named by no JS file; the server never serves them.
  build: { outDir: 'dist', sourcemap: 'hidden' },
  server: {
    proxy: {
      '/api': { target: apiTarget },
      '/__chaos': { target: apiTarget },
      '/__stats': { target: apiTarget },
      '/__reset': { target: apiTarget },
      '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
});
