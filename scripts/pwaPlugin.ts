import { VitePWA } from 'vite-plugin-pwa';

/**
 * The service worker build (docs/operations.md "Service worker"): vite-plugin-pwa compiles src/sw.ts and
 * injects the precache manifest (every built js/css/html/svg file; source maps are not precached). The app
 * registers it itself with workbox-window (src/app/serviceWorker), so the plugin injects no script and
 * no web manifest. `VITE_SW_KILL_SWITCH=1` builds src/killSwitch/sw.ts instead: a worker that removes itself.
 * `VITE_SW_DEV=1` also serves the worker from `npm run dev`.
 */
export function serviceWorkerPlugin(env: NodeJS.ProcessEnv = process.env) {
  const killSwitch = env.VITE_SW_KILL_SWITCH === '1';
  return VitePWA({
    strategies: 'injectManifest',
    registerType: 'prompt',
    injectRegister: false,
    manifest: false,
    srcDir: killSwitch ? 'src/killSwitch' : 'src',
    filename: 'sw.ts',
    injectManifest: {
      globPatterns: ['**/*.{js,css,html,svg,woff2}'],
      // The admin page is not the student app's: students' devices never download or cache it.
      globIgnores: ['**/*.map', 'sw.js', 'admin.html', 'assets/admin-*'],
      // The kill switch precaches nothing, so it has no place for a manifest.
      ...(killSwitch ? { injectionPoint: undefined } : {}),
    },
    devOptions: { enabled: env.VITE_SW_DEV === '1', type: 'module' },
  });
}
