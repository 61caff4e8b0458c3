import { useEffect, useState } from 'react';
import { useRuntime } from '../hooks';
import { BUCKET_MS, createMetricsRecorder, p95, type MetricsHistory } from './metricsRecorder';
import { Sparkline, StateTimeline } from './charts';

const REFRESH_MS = 1_000;

/**
 * Live metrics of the runtime (docs/operations.md, "The developer panel"): per backend request rate, error
 * rate and p95 latency, breaker and socket timelines, outbox depth, predictor risk, fallback use, orchestrator
 * results per method and chaos injections, from the event bus; the monitor's own numbers go into the export.
 */
export function LiveMetrics() {
  const runtime = useRuntime();
  const [recorder] = useState(() => createMetricsRecorder(() => runtime.clock.now()));
  const [history, setHistory] = useState<MetricsHistory>(() => recorder.history());
  useEffect(() => runtime.events.subscribe((event) => recorder.record(event)), [runtime, recorder]);
  useEffect(() => {
    const timer = setInterval(() => setHistory(recorder.history()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [recorder]);

  const { buckets } = history;
  const from = buckets[0]?.start ?? runtime.clock.now();
  const to = runtime.clock.now();
  const backends = [...new Set(buckets.flatMap((b) => Object.keys(b.backends)).concat(Object.keys(history.breakers)))].sort();
  const strategies = [...new Set(buckets.flatMap((b) => Object.keys(b.fallbacks)))].sort();
  const outcomes = [...new Set(buckets.flatMap((b) => Object.keys(b.recoveries)))].sort();
  const perSecond = BUCKET_MS / 1000;

  const exportJson = () => {
    const body = JSON.stringify({ exportedAt: new Date(to).toISOString(), bucketMs: BUCKET_MS, history: recorder.history(), monitor: runtime.monitoring.monitor.getMetrics() }, null, 2);
    const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `resilience-metrics-${new Date(to).toISOString().replace(/[:.]/g, '-')}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  return (
    <section aria-labelledby="dev-metrics-heading" className="dev-section">
      <h3 id="dev-metrics-heading">Live metrics (last 10 minutes)</h3>
      {backends.map((name) => (
        <div key={name} className="dev-metrics-backend" data-backend={name}>
          <h4>{name}</h4>
          <Sparkline label={`${name} requests/s`} values={buckets.map((b) => (b.backends[name]?.requests ?? 0) / perSecond)} />
          <Sparkline label={`${name} error rate`} values={buckets.map((b) => { const x = b.backends[name]; return x && x.requests > 0 ? x.errors / x.requests : null; })} />
          <Sparkline label={`${name} p95 latency`} unit=" ms" values={buckets.map((b) => p95(b.backends[name]?.durations ?? []))} />
          <StateTimeline label={`${name} breaker`} transitions={history.breakers[name] ?? []} from={from} to={to} />
        </div>
      ))}
      <StateTimeline label="tutor socket" transitions={history.socket} from={from} to={to} />
      <Sparkline label="outbox depth" values={buckets.map((b) => b.outboxDepth)} />
      <Sparkline label="predictor risk" values={buckets.map((b) => b.risk)} />
      <Sparkline label="chaos injections" values={buckets.map((b) => b.chaos)} />
      {strategies.map((s) => (
        <Sparkline key={s} label={`fallback ${s}`} values={buckets.map((b) => b.fallbacks[s] ?? 0)} />
      ))}
      {outcomes.map((o) => (
        <Sparkline key={o} label={`orchestrator ${o}`} values={buckets.map((b) => b.recoveries[o] ?? 0)} />
      ))}
      <button type="button" onClick={exportJson}>
        Export last 10 minutes (JSON)
      </button>
    </section>
  );
}
