import type { SentryEnvelope } from '../../src/protocol/dev';
import type { DashboardWidget } from './dashboards';

/** One data point the sink received: a metric sample or an error event (value 1). */
interface Sample {
  readonly atMs: number;
  readonly value: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export type WidgetData =
  | { readonly kind: 'number'; readonly value: number | null }
  | { readonly kind: 'groups'; readonly rows: ReadonlyArray<{ readonly group: string; readonly value: number }> }
  | { readonly kind: 'series'; readonly bucketMs: number; readonly startMs: number; readonly series: ReadonlyArray<{ readonly group: string; readonly points: ReadonlyArray<number | null> }> };

const BUCKETS = 30;

/** Evaluates a widget's first query over what the sink received, the way Sentry would over its own data. */
export function widgetData(widget: DashboardWidget, envelopes: readonly SentryEnvelope[], nowMs: number): WidgetData {
  const query = widget.queries[0];
  const aggregate = parseAggregate(query?.aggregates[0] ?? 'count()');
  const group = query?.columns[0];
  const samples = widget.widgetType === 'error-events' ? errorSamples(envelopes) : metricSamples(envelopes, /metric\.name:(\S+)/.exec(query?.conditions ?? '')?.[1] ?? '');
  const groupOf = (sample: Sample) => (group ? String(sample.attributes[group] ?? '(none)') : 'all');

  if (widget.displayType === 'big_number') return { kind: 'number', value: aggregate(samples.map((s) => s.value)) };
  const byGroup = new Map<string, Sample[]>();
  for (const sample of samples) byGroup.set(groupOf(sample), [...(byGroup.get(groupOf(sample)) ?? []), sample]);
  if (widget.displayType === 'line' || widget.displayType === 'area') {
    const bucketMs = intervalMs(widget.interval) / 5; // finer than Sentry's interval: a local session is short
    const startMs = nowMs - BUCKETS * bucketMs;
    const series = [...byGroup].map(([name, list]) => ({
      group: name,
      points: Array.from({ length: BUCKETS }, (_, i) => aggregate(list.filter((s) => s.atMs >= startMs + i * bucketMs && s.atMs < startMs + (i + 1) * bucketMs).map((s) => s.value))),
    }));
    return { kind: 'series', bucketMs, startMs, series };
  }
  const rows = [...byGroup].map(([name, list]) => ({ group: name, value: aggregate(list.map((s) => s.value)) ?? 0 })).sort((a, b) => b.value - a.value);
  return { kind: 'groups', rows };
}

function metricSamples(envelopes: readonly SentryEnvelope[], name: string): Sample[] {
  const out: Sample[] = [];
  for (const envelope of envelopes) {
    for (const item of envelope.items) {
      if (item.header.type !== 'trace_metric' || typeof item.payload !== 'object' || item.payload === null) continue;
      for (const metric of ((item.payload as { items?: unknown[] }).items ?? []) as Array<Record<string, unknown>>) {
        if (metric.name !== name || typeof metric.value !== 'number') continue;
        const attributes = Object.fromEntries(Object.entries((metric.attributes ?? {}) as Record<string, { value?: unknown }>).map(([k, v]) => [k, v?.value]));
        out.push({ atMs: Number(metric.timestamp) * 1000, value: metric.value, attributes });
      }
    }
  }
  return out;
}

function errorSamples(envelopes: readonly SentryEnvelope[]): Sample[] {
  const out: Sample[] = [];
  for (const envelope of envelopes) {
    for (const item of envelope.items) {
      if (item.header.type !== 'event' || typeof item.payload !== 'object' || item.payload === null) continue;
      const event = item.payload as { timestamp?: number; tags?: Record<string, unknown> };
      out.push({ atMs: Number(event.timestamp ?? 0) * 1000, value: 1, attributes: event.tags ?? {} });
    }
  }
  return out;
}

/** `sum(value)`, `avg(value)`, `max`, `min`, `p50…p99`, `count()`; null over no values (except sum/count: 0). */
function parseAggregate(text: string): (values: number[]) => number | null {
  const fn = /^(\w+)\(/.exec(text)?.[1] ?? 'count';
  const percentile = /^p(\d{2})$/.exec(fn);
  return (values) => {
    if (fn === 'count') return values.length;
    if (fn === 'sum') return values.reduce((s, v) => s + v, 0);
    if (values.length === 0) return null;
    if (fn === 'avg') return values.reduce((s, v) => s + v, 0) / values.length;
    if (fn === 'max') return Math.max(...values);
    if (fn === 'min') return Math.min(...values);
    if (percentile) {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.max(0, Math.ceil((Number(percentile[1]) / 100) * sorted.length) - 1)] as number;
    }
    return values.length;
  };
}

function intervalMs(interval: string): number {
  const [, n = '5', unit = 'm'] = /^(\d+)([mhd])$/.exec(interval) ?? [];
  return Number(n) * (unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : 60_000);
}
