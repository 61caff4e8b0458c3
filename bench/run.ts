/**
 * `npm run bench [-- filter…]`: runs the benchmark parts whose name contains one of the filters (all of them
 * without a filter) and prints their figures. Figures are reported, never asserted.
 *
 *   npm run bench -- overhead          # both api overhead parts (Node, then Chromium)
 *   npm run bench -- overhead-node
 *   npm run bench -- sw                # service worker (builds the app first: run under the browser lock)
 *
 * Register a part with one line below; import its module lazily so a part's dependencies (Chromium,
 * servers) load only when it runs. Explicit .js in './x.node.js': tsx would take a bare ".node" for a native
 * addon.
 */
import { formatSummary, type PartResult, type SummaryRow } from './summary';

export interface BenchPart {
  /** Matched by the command-line filters. */
  readonly name: string;
  readonly title: string;
  readonly run: () => Promise<PartResult>;
}

const parts: BenchPart[] = [
  { name: 'overhead-node', title: 'api overhead (node)', run: async () => (await import('./apiOverhead.node.js')).runApiOverheadNode() },
  { name: 'overhead-chromium', title: 'api overhead (chromium)', run: async () => (await import('./apiOverhead.chromium.js')).runApiOverheadChromium() },
  { name: 'socket-recovery', title: 'tutor socket recovery (node)', run: async () => (await import('./socketRecovery.node.js')).runSocketRecoveryNode() },
  { name: 'outbox-node', title: 'outbox enqueue and drain (node)', run: async () => (await import('./outbox.node.js')).run() },
  { name: 'drain-chromium', title: 'outbox drain and time to empty after reconnect (chromium, real IndexedDB)', run: async () => (await import('./outboxDrain.chromium.js')).runOutboxDrainChromium() },
  { name: 'outbox-chromium', title: 'outbox enqueue latency (chromium vs node)', run: async () => (await import('./outbox.chromium.js')).runOutboxChromium() },
  { name: 'sw-chromium', title: 'service worker: precache and repeat-visit start (chromium)', run: async () => (await import('./serviceWorker.chromium.js')).runServiceWorkerChromium() },
  { name: 'monitoring-node', title: 'monitoring cost per event and Sentry chunk size (node)', run: async () => (await import('./monitoring.node.js')).runMonitoringNode() },
  { name: 'checkpoint-chromium', title: 'checkpoint save and restore (chromium)', run: async () => (await import('./checkpoint.chromium.js')).runCheckpointChromium() },
  { name: 'predictor', title: 'error predictor on replayed traces (node)', run: async () => (await import('./predictor.node.js')).runPredictorBench() },
  { name: 'trend-weights', title: 'error predictor: weight search on the training traces (node)', run: async () => (await import('./predictor.tune.js')).runPredictorTune() },
  { name: 'ui-updates', title: 'UI store updates during a 1,000-entry drain (node)', run: async () => (await import('./uiUpdates.node.js')).runUiUpdates() },
  { name: 'bundle', title: 'bundle sizes of a production build, gzipped (builds the app: run under the browser lock)', run: async () => (await import('./bundle.node.js')).runBundleNode() },
  { name: 'healing-node', title: 'self-healing: errors healed unnoticed and cost per error (node)', run: async () => (await import('./healing.node.js')).runHealingNode() },
  { name: 'recovery-node', title: 'recovery success rate after recovery (node, orchestrator.run)', run: async () => (await import('./recoverySuccess.node.js')).runRecoverySuccessNode() },
  { name: 'orchestrator-node', title: 'orchestrator and fallback overhead (node)', run: async () => (await import('./orchestrator.node.js')).runOrchestratorNode() },
];

const filters = process.argv.slice(2).filter((arg) => arg !== '--');
const selected = filters.length === 0 ? parts : parts.filter((part) => filters.some((filter) => part.name.includes(filter)));
if (selected.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}; known: ${parts.map((part) => part.name).join(', ')}`);
  process.exitCode = 1;
}

const summary: SummaryRow[] = [];
for (const part of selected) {
  console.log(`\n## ${part.title}\n`);
  const result = await part.run();
  console.log(typeof result === 'string' ? result : result.text);
  if (typeof result !== 'string') summary.push(...result.rows);
}
if (summary.length > 0) console.log(`\n## summary (this run)\n\n${formatSummary(summary)}`);
