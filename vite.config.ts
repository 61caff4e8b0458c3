import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './scripts/pwaPlugin';

const apiTarget = process.env.API_TARGET ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [react(), serviceWorkerPlugin()],
  // Hidden source maps: written to dist for upload to an error tracker, named by no JS file; the server never serves them.
  // Two pages: the student app (index.html) and the admin page (admin.html, served at /admin only with ADMIN_TOKEN),
  // so nothing of the admin page enters the student app's first load.
  // The runtime's barrel (src/resilience/index.ts) only re-exports, so it is declared free of side effects: a module
  // reached from the app only through an unused re-export of it (the tutor socket) then stays in the lazy chunk
  // that uses it (afterFirstLoad) instead of being pulled into the first load.
  build: {
    outDir: 'dist',
    sourcemap: 'hidden',
    rollupOptions: {
      input: { main: 'index.html', admin: 'admin.html' },
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]src[\\/]resilience[\\/]index\.ts$/.test(id) },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget },
      '/admin/api': { target: apiTarget },
      '/__chaos': { target: apiTarget },
      '/__stats': { target: apiTarget },
      '/__reset': { target: apiTarget },
      '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
});
