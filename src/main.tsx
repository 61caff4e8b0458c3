/// <reference types="vite/client" />
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import featureFlags from '../feature-flags.json';
import { App } from './app/App';
import { chaosForPage } from './app/resilience/devToolsChaos';
import { offerFlagsToOpenFeature } from './app/flags/openFeatureSession';
import { createSessionApi } from './app/identity/sessionApi';
import { devToolsAllowed } from './app/resilience/devTools';
import { startServiceWorker, tabReloadGuard } from './app/serviceWorker/startServiceWorker';
import { sessionCodeLoader } from './app/resilience/sessionCode';
import { loadStudent } from './app/identity/studentStore';
import { monitoringSettingsOrOff, type RuntimeMonitoringConfig } from './app/monitoring/monitoringConfig';
import { createMonitoringLoader } from './app/monitoring/monitoringLoader';
import type { CreateSession } from './app/services/types';
import './app/app.css';

// Decided once, at build time: a production build has no developer tools and ignores flag overrides.
const devTools = devToolsAllowed(import.meta.env);

// Sentry loads lazily, only for a runtime whose `monitoring` flag is on (docs/operations.md, Monitoring).
const monitoring = createMonitoringLoader({
  settings: monitoringSettingsOrOff(import.meta.env, (window as { __RESILIENCE_CONFIG__?: RuntimeMonitoringConfig }).__RESILIENCE_CONFIG__),
  dev: import.meta.env.DEV,
});

/** How often an open tab asks for the served flags (a 304 when nothing changed); docs/operations.md. */
const SERVED_FLAGS_INTERVAL_MS = 5_000;

/** One resilience runtime per signed-in student, disposed at log-out (App owns the lifecycle). */
const sessionApi = createSessionApi();
// Developer tools only: `?chaos=seed:scenario` injects seeded faults inside the runtime (docs/operations.md).
const chaos = devTools ? chaosForPage(window.location.search, (message) => console.warn('Runtime chaos:', message)) : undefined;

/**
 * A signed-in student's code (the runtime and the app's services over it) loads after the first load, with the
 * runtime's own after-first-load chunk fetched alongside rather than after it (docs/architecture.md, "Loaded
 * after the first load"). The welcome screen needs neither.
 */
const loadSessionCode = sessionCodeLoader({
  load: () => import('./app/resilience/appSession'),
  alongside: () => import('./resilience/afterFirstLoad'),
  guard: tabReloadGuard(),
  reload: () => window.location.reload(),
  online: () => navigator.onLine !== false,
});
if (loadStudent()) void loadSessionCode().catch(() => undefined); // App's createSession says what failed

const createSession: CreateSession = async (studentId) => {
  const { createAppSession } = await loadSessionCode();
  const session = monitoring.track(createAppSession({ studentId, flags: featureFlags, servedFlags: { intervalMs: SERVED_FLAGS_INTERVAL_MS }, ...(chaos ? { chaos } : {}), devTools, sessionApi }), [studentId, loadStudent()?.name ?? '']);
  offerFlagsToOpenFeature(session.runtime.flags, studentId).catch((error: unknown) => console.warn('OpenFeature provider:', error));
  return session;
};

// Production builds only (and `npm run dev` with VITE_SW_DEV=1); docs/operations.md "Service worker".
const serviceWorker = startServiceWorker(import.meta.env, (error) => console.warn('Service worker:', error));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root, monitoring.rootOptions).render(
  <StrictMode>
    <App createSession={createSession} auth={sessionApi} devTools={devTools} serviceWorker={serviceWorker} />
  </StrictMode>,
);
