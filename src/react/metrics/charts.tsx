/** Small SVG charts of our own for the developer panel: a sparkline and a state timeline. */

const WIDTH = 240;
const HEIGHT = 36;

export interface SparklineProps {
  label: string;
  /** One value per bucket; null is a gap. */
  values: readonly (number | null)[];
  unit?: string;
}

/** A line over the buckets, scaled to its own maximum, with the latest value as text beside it. */
export function Sparkline({ label, values, unit = '' }: SparklineProps) {
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const step = values.length > 1 ? WIDTH / (values.length - 1) : WIDTH;
  const points = values
    .map((v, i) => (v === null ? null : `${(i * step).toFixed(1)},${(HEIGHT - 2 - (v / max) * (HEIGHT - 4)).toFixed(1)}`))
    .filter((p): p is string => p !== null)
    .join(' ');
  const latest = [...values].reverse().find((v) => v !== null) ?? null;
  const shown = latest === null ? '–' : `${Number.isInteger(latest) ? latest : latest.toFixed(2)}${unit}`;
  return (
    <figure className="dev-chart">
      <svg role="img" aria-label={`${label}: latest ${shown}, peak ${max}${unit}`} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <figcaption>
        {label} <strong>{shown}</strong>
      </figcaption>
    </figure>
  );
}

const STATE_COLOURS: Readonly<Record<string, string>> = { closed: '#2e7d32', open: '#c62828', 'half-open': '#f9a825', connecting: '#f9a825', stale: '#ef6c00' };

export interface TimelineProps {
  label: string;
  transitions: readonly { at: number; state: string }[];
  from: number;
  to: number;
}

/** Coloured spans of a state over time (breaker, socket); the label lists the changes in words too. */
export function StateTimeline({ label, transitions, from, to }: TimelineProps) {
  const span = Math.max(1, to - from);
  const x = (at: number) => ((Math.max(at, from) - from) / span) * WIDTH;
  const words = transitions.map((t) => `${t.state} at ${new Date(t.at).toISOString().slice(11, 19)}`).join(', ');
  return (
    <figure className="dev-chart">
      <svg role="img" aria-label={`${label}: ${words || 'no changes'}`} width={WIDTH} height={12} viewBox={`0 0 ${WIDTH} 12`}>
        {transitions.map((t, i) => {
          const end = transitions[i + 1]?.at ?? to;
          return <rect key={i} data-state={t.state} x={x(t.at)} y={0} width={Math.max(1, x(end) - x(t.at))} height={12} fill={STATE_COLOURS[t.state] ?? '#757575'} />;
        })}
      </svg>
      <figcaption>
        {label} <strong>{transitions[transitions.length - 1]?.state ?? '–'}</strong>
      </figcaption>
    </figure>
  );
}
