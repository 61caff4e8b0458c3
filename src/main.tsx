/// <reference types="vite/client" />
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import featureFlags from '../feature-flags.json';
import { App } from './app/App';
import { createSessionApi } from './app/identity/sessionApi';
import { createAppSession } from './app/resilience/appSession';
import { devToolsAllowed } from './app/resilience/devTools';
import { startServiceWorker } from './app/serviceWorker/startServiceWorker';
import type { CreateSession } from './app/services/types';
import './app/app.css';

// Decided once, at build time: a production build has no developer tools and ignores flag overrides.
const devTools = devToolsAllowed(import.meta.env);

/** One resilience runtime per signed-in student, disposed at log-out (App owns the lifecycle). */
const sessionApi = createSessionApi();
const createSession: CreateSession = (studentId) => createAppSession({ studentId, flags: featureFlags, devTools, sessionApi });

// Production builds only (and `npm run dev` with VITE_SW_DEV=1); docs/operations.md "Service worker".
const serviceWorker = startServiceWorker(import.meta.env, (error) => console.warn('Service worker:', error));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App createSession={createSession} auth={sessionApi} devTools={devTools} serviceWorker={serviceWorker} />
  </StrictMode>,
);
