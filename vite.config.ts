import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './scripts/pwaPlugin';

const apiTarget = process.env.API_TARGET ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [react(), serviceWorkerPlugin()],
  build: { outDir: 'dist', sourcemap: true },
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
