import type { SentryEnvelope } from '../../src/protocol/dev';
import { widgetData, type WidgetData } from './dashboardData';
import type { Dashboard } from './dashboards';

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#be185d'];

/** The dashboards drawn from the envelopes the local sink received: what an operator would see in Sentry. */
export function renderDashboardPage(dashboards: readonly Dashboard[], envelopes: readonly SentryEnvelope[], nowMs: number): string {
  const sections = dashboards.map((dashboard) => {
    const cards = dashboard.widgets.map((widget) => {
      const { x, y, w, h } = widget.layout;
      const style = `grid-column:${x + 1} / span ${w};grid-row:${y + 1} / span ${h}`;
      const body = renderData(widgetData(widget, envelopes, nowMs));
      return `<section class="widget" style="${style}" data-widget="${escape(widget.title)}"><h2>${escape(widget.title)}</h2>${body}</section>`;
    });
    return `<h1>${escape(dashboard.title)}</h1><div class="grid">${cards.join('')}</div>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local Sentry dashboards</title><style>
body{font:14px system-ui,sans-serif;margin:1rem;color:#111}.grid{display:grid;grid-template-columns:repeat(6,1fr);grid-auto-rows:110px;gap:12px}
.widget{border:1px solid #ccc;border-radius:6px;padding:8px;overflow:auto}.widget h2{font-size:13px;margin:0 0 6px}
.big{font-size:40px;font-weight:600}table{border-collapse:collapse;width:100%}td{padding:2px 4px}td.n{text-align:right}
.legend span{margin-right:8px}.empty{color:#777}</style></head><body>
<p>${envelopes.length} envelope(s) received by this server's sink. Reload to refresh. Definitions: monitoring/dashboards/*.json.</p>
${sections.join('')}</body></html>`;
}

function renderData(data: WidgetData): string {
  if (data.kind === 'number') return `<div class="big">${data.value === null ? '—' : format(data.value)}</div>`;
  if (data.kind === 'groups') {
    if (data.rows.length === 0) return '<p class="empty">No data</p>';
    const max = Math.max(...data.rows.map((r) => r.value), 1);
    const rows = data.rows.map((r, i) => `<tr><td>${escape(r.group)}</td><td class="n">${format(r.value)}</td><td width="50%"><svg width="100%" height="10" viewBox="0 0 100 10" preserveAspectRatio="none"><rect width="${(r.value / max) * 100}" height="10" fill="${colour(i)}"/></svg></td></tr>`);
    return `<table>${rows.join('')}</table>`;
  }
  if (data.series.length === 0) return '<p class="empty">No data</p>';
  const values = data.series.flatMap((s) => s.points.filter((p): p is number => p !== null));
  const max = Math.max(...values, 1);
  const lines = data.series.map((s, i) => {
    const points = s.points.map((p, j) => (p === null ? null : `${(j / (s.points.length - 1)) * 100},${40 - (p / max) * 38}`)).filter((p) => p !== null);
    return `<polyline fill="none" stroke="${colour(i)}" stroke-width="1.5" vector-effect="non-scaling-stroke" points="${points.join(' ')}"/>` + points.map((p) => `<circle cx="${p!.split(',')[0]}" cy="${p!.split(',')[1]}" r="1.2" fill="${colour(i)}"/>`).join('');
  });
  const legend = data.series.map((s, i) => `<span style="color:${colour(i)}">■ ${escape(s.group)}</span>`).join('');
  return `<svg width="100%" height="50" viewBox="0 0 100 42" preserveAspectRatio="none" role="img">${lines.join('')}</svg><div class="legend">${legend} <small>max ${format(max)}</small></div>`;
}

const colour = (i: number) => COLOURS[i % COLOURS.length] as string;
const format = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
