// Loaded only through monitoringLoader's dynamic import(): this module and @sentry/browser form their own chunk.
// Named imports only: `import *` keeps the whole SDK in the bundle.
import {
  addBreadcrumb,
  captureException,
  createTransport,
  dedupeIntegration,
  flush,
  globalHandlersIntegration,
  init,
  linkedErrorsIntegration,
  metrics,
  type BrowserOptions,
} from '@sentry/browser';
import {
  createEnvelopeDelivery,
  createIndexedDbEnvelopeStore,
  createMemoryEnvelopeStore,
  METRIC,
  scrubBreadcrumb,
  scrubEvent,
  scrubMetric,
  type EnvelopeDelivery,
  type ScrubRules,
  type TelemetryBridge,
  type TelemetryContext,
} from '../../resilience';
import type { MonitoringSettings } from './monitoringConfig';

export interface PageTelemetry {
  /** The bridge one runtime reports through. */
  readonly bridge: TelemetryBridge;
  /** Whose resilience context unhandled errors carry (the signed-in student's runtime), or none. */
  setContextSource(source: (() => TelemetryContext) | null): void;
  /** Values that are personal wherever they appear (the student's name and id). */
  addSensitive(values: readonly string[]): void;
  captureReactError(error: unknown, kind: 'caught' | 'uncaught', componentStack: string | undefined): void;
  /** An uncaught error or rejection seen before the SDK's handlers were installed. */
  captureEarlyError(error: unknown): void;
  flush(timeoutMs: number): Promise<boolean>;
}

const MAX_SENSITIVE = 20;

/** Every collection switch off: user info, IP inference, cookies, headers, bodies, query strings, variables. */
const NO_DATA_COLLECTION: NonNullable<BrowserOptions['dataCollection']> = {
  userInfo: false,
  cookies: false,
  httpHeaders: false,
  httpBodies: [],
  urlQueryParams: false,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
  mcp: { inputs: false, outputs: false },
  databaseQueryData: false,
  queues: false,
  stackFrameVariables: false,
  frameContextLines: 0,
};

/**
 * Starts the Sentry SDK for this page: errors from global handlers, scrubbed at capture (beforeSend,
 * beforeBreadcrumb, beforeSendMetric) and again when each stored envelope is sent; envelopes go through our
 * durable IndexedDB queue, never straight to the network.
 */
export function startSentry(settings: MonitoringSettings): PageTelemetry {
  const sensitive: string[] = [];
  const rules = (): ScrubRules => ({ sensitive });
  let contextSource: (() => TelemetryContext) | null = null;
  // A holder, not a `let`: the transport factory below fills it in while init() runs.
  const queue: { delivery: EnvelopeDelivery | null } = { delivery: null };

  const withContext = <E extends { tags?: Record<string, unknown>; contexts?: Record<string, unknown> }>(event: E): E => {
    const context = contextSource?.();
    if (!context) return event;
    return {
      ...event,
      tags: { ...event.tags, 'resilience.mode': context.mode, 'resilience.risk': context.riskLevel },
      contexts: { ...event.contexts, resilience: { breakers: context.breakers, lastRecovery: context.lastRecovery } },
    };
  };

  init({
    dsn: settings.dsn,
    environment: settings.environment,
    ...(settings.release ? { release: settings.release } : {}),
    // Only what we need: no console, DOM, fetch or history breadcrumbs (they carry typed text and URLs), no
    // sessions, no HTTP context beyond the scrubbed page URL.
    defaultIntegrations: false,
    integrations: [globalHandlersIntegration(), linkedErrorsIntegration(), dedupeIntegration()],
    dataCollection: NO_DATA_COLLECTION,
    sendClientReports: false,
    maxBreadcrumbs: 50,
    beforeSend: (event) => scrubEvent(withContext(event), rules()),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb, rules()),
    beforeSendMetric: (metric) => scrubMetric(metric, rules()),
    transport: (options) => {
      const post = async (body: string): Promise<number> => {
        const response = await fetch(options.url, { method: 'POST', body, credentials: 'omit', referrerPolicy: 'no-referrer', keepalive: body.length < 60_000 });
        return response.status;
      };
      const delivery = createEnvelopeDelivery({
        store: typeof indexedDB === 'undefined' ? createMemoryEnvelopeStore(limits(settings)) : createIndexedDbEnvelopeStore(indexedDB, 'resilience-telemetry', limits(settings)),
        post,
        clock: { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) },
        rules,
        reportDrops: (dropped) => metrics.count(METRIC.telemetryDropped, dropped, { attributes: { stage: 'offline_queue' } }),
        exclusive: crossTabExclusive,
        onError: (error) => console.warn('[monitoring] telemetry queue:', error),
      });
      queue.delivery = delivery;
      const decoder = new TextDecoder();
      return createTransport(options, async (request) => {
        await delivery.enqueue(typeof request.body === 'string' ? request.body : decoder.decode(request.body));
        return { statusCode: 200 };
      });
    },
  });
  window.addEventListener('online', () => queue.delivery?.online());
  // Stored envelopes from earlier visits go as soon as the SDK is up (Sentry's own offline transport calls it flushAtStartup).
  queue.delivery?.online();

  const bridge: TelemetryBridge = {
    captureError: (error, tags, context) => void captureException(error, { tags: { ...tags }, contexts: { resilience: { ...context } } }),
    addBreadcrumb: (breadcrumb) => addBreadcrumb({ ...breadcrumb, data: { ...breadcrumb.data } }),
    count: (name, value, attributes) => metrics.count(name, value, { attributes: { ...attributes } }),
    gauge: (name, value, unit, attributes) => metrics.gauge(name, value, { unit, attributes: { ...attributes } }),
    distribution: (name, value, unit, attributes) => metrics.distribution(name, value, { unit, attributes: { ...attributes } }),
    online: () => queue.delivery?.online(),
  };

  return {
    bridge,
    setContextSource: (source) => void (contextSource = source),
    addSensitive(values) {
      for (const value of values) if (value && !sensitive.includes(value)) sensitive.push(value);
      if (sensitive.length > MAX_SENSITIVE) sensitive.splice(0, sensitive.length - MAX_SENSITIVE);
    },
    captureReactError: (error, kind, componentStack) =>
      void captureException(error, { tags: { kind: `react.${kind}` }, ...(componentStack ? { contexts: { react: { componentStack } } } : {}) }),
    captureEarlyError: (error) => void captureException(error, { tags: { kind: 'early' } }),
    async flush(timeoutMs) {
      await flush(timeoutMs);
      return queue.delivery ? queue.delivery.flush(timeoutMs) : true;
    },
  };
}

const limits = (settings: MonitoringSettings) => ({ maxEnvelopes: settings.queueMaxEnvelopes, maxBytes: settings.queueMaxBytes });

/** One tab drains the shared queue at a time; the others leave it to that tab. */
async function crossTabExclusive(pass: () => Promise<void>): Promise<void> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return pass();
  await locks.request('resilience-telemetry-drain', { ifAvailable: true }, async (lock) => {
    if (lock) await pass();
  });
}
