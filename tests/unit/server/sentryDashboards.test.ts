import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SentryEnvelope } from '../../../src/protocol/dev';
import { widgetData } from '../../../server/sentry/dashboardData';
import { renderDashboardPage } from '../../../server/sentry/dashboardPage';
import { loadDashboards, validateDashboard, type Dashboard, type DashboardWidget } from '../../../server/sentry/dashboards';
import { upsertDashboards } from '../../../server/sentry/dashboardUpsert';

const metricEnvelope = (metrics: Array<{ name: string; value: number; at: number; attributes?: Record<string, string> }>): SentryEnvelope => ({
  header: {},
  items: [
    {
      header: { type: 'trace_metric' },
      payload: { items: metrics.map((m) => ({ name: m.name, value: m.value, timestamp: m.at / 1000, type: 'counter', attributes: Object.fromEntries(Object.entries(m.attributes ?? {}).map(([k, v]) => [k, { value: v, type: 'string' }])) })) },
    },
  ],
});

describe('dashboards as code', () => {
  it('the shipped dashboards pass the offline check and cover every required view', () => {
    const dashboards = loadDashboards();
    const metrics = dashboards.flatMap((d) => d.widgets.map((w) => w.queries[0]?.conditions ?? ''));
    for (const name of ['recovery', 'recovery.duration', 'breaker.trip', 'fallback.activation', 'outbox.depth', 'outbox.oldest_age', 'outbox.dead_letter', 'socket.reconnect', 'predictor.risk', 'prediction.alert', 'error']) {
      expect(metrics).toContain(`metric.name:resilience.${name}`);
    }
  });

  it('the check names each broken field', () => {
    const widget = { title: 'x', displayType: 'pie', widgetType: 'tracemetrics', interval: '5m', queries: [{ name: '', fields: [], aggregates: [], columns: [], conditions: 'nothing', orderby: '' }], layout: { x: 5, y: 0, w: 2, h: 2, minH: 2 } };
    expect(validateDashboard({ title: '', widgets: [widget] }, 'bad.json')).toEqual([
      'bad.json: title must be a non-empty string',
      expect.stringContaining('widgets[0].displayType "pie" is not one of'),
      'bad.json: widgets[0].queries[0].aggregates must name at least one aggregate',
      'bad.json: widgets[0].queries[0].conditions must name the metric (metric.name:…)',
      'bad.json: widgets[0].layout is wider than the 6-column grid',
    ]);
    const many = Array.from({ length: 31 }, () => ({ ...widget, displayType: 'line', layout: { x: 0, y: 0, w: 1, h: 1, minH: 1 }, queries: [{ ...widget.queries[0], aggregates: ['sum(value)'], conditions: 'metric.name:a' }] }));
    expect(validateDashboard({ title: 't', widgets: many }, 'many.json')).toEqual(['many.json: has 31 widgets; Sentry allows at most 30']);
    const dir = mkdtempSync(join(tmpdir(), 'dashboards-'));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    expect(() => loadDashboards(dir)).toThrow(/broken\.json: not valid JSON/);
  });

  it('upsert creates what is missing and updates by title, so a second run creates nothing', async () => {
    const server = new Map<string, Dashboard & { id: string }>([['7', { id: '7', title: 'Existing', widgets: [] }]]);
    const log: string[] = [];
    const fakeSentry: typeof fetch = async (input, init) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      log.push(`${method} ${url.replace('https://sentry.example/api/0/organizations/acme/dashboards/', '/')}`);
      expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer tkn');
      if (method === 'GET') return new Response(JSON.stringify([...server.values()].map(({ id, title }) => ({ id, title }))));
      const body = JSON.parse(String(init?.body)) as Dashboard;
      const id = method === 'POST' ? String(server.size + 100) : /\/(\d+)\/$/.exec(url)?.[1] ?? '';
      server.set(id, { ...body, id });
      return new Response(JSON.stringify({ id }), { status: method === 'POST' ? 201 : 200 });
    };
    const dashboards: Dashboard[] = [{ title: 'Existing', widgets: [] }, { title: 'New one', widgets: [] }];
    const target = { baseUrl: 'https://sentry.example/', org: 'acme', token: 'tkn', fetch: fakeSentry };
    expect((await upsertDashboards(dashboards, target)).map((o) => o.action)).toEqual(['updated', 'created']);
    expect((await upsertDashboards(dashboards, target)).map((o) => o.action)).toEqual(['updated', 'updated']);
    expect(server.size).toBe(2);
    expect(log).toEqual(['GET /?per_page=100', 'PUT /7/', 'POST /', 'GET /?per_page=100', 'PUT /7/', 'PUT /101/']);
  });

  it('the sink evaluates widgets over the envelopes it received: grouped sums, percentiles, series, big numbers', () => {
    const now = Date.parse('2030-01-01T12:00:00Z');
    const envelopes = [
      metricEnvelope([
        { name: 'resilience.fallback.activation', value: 1, at: now - 60_000, attributes: { strategy: 'cache' } },
        { name: 'resilience.fallback.activation', value: 1, at: now - 30_000, attributes: { strategy: 'cache' } },
        { name: 'resilience.fallback.activation', value: 1, at: now - 20_000, attributes: { strategy: 'localHints' } },
        { name: 'resilience.recovery.duration', value: 100, at: now - 10_000, attributes: { method: 'retry' } },
        { name: 'resilience.recovery.duration', value: 900, at: now - 5_000, attributes: { method: 'retry' } },
      ]),
    ];
    const widget = (displayType: DashboardWidget['displayType'], metric: string, aggregate: string, column?: string): DashboardWidget => ({
      title: 't', displayType, widgetType: 'tracemetrics', interval: '5m', layout: { x: 0, y: 0, w: 2, h: 2, minH: 2 },
      queries: [{ name: '', fields: [aggregate], aggregates: [aggregate], columns: column ? [column] : [], conditions: `metric.name:${metric}`, orderby: '' }],
    });
    expect(widgetData(widget('bar', 'resilience.fallback.activation', 'sum(value)', 'strategy'), envelopes, now)).toEqual({ kind: 'groups', rows: [{ group: 'cache', value: 2 }, { group: 'localHints', value: 1 }] });
    expect(widgetData(widget('table', 'resilience.recovery.duration', 'p95(value)', 'method'), envelopes, now)).toEqual({ kind: 'groups', rows: [{ group: 'retry', value: 900 }] });
    expect(widgetData(widget('big_number', 'resilience.fallback.activation', 'sum(value)'), envelopes, now)).toEqual({ kind: 'number', value: 3 });
    const series = widgetData(widget('line', 'resilience.fallback.activation', 'sum(value)', 'strategy'), envelopes, now);
    expect(series.kind).toBe('series');
    if (series.kind === 'series') expect(series.series.find((s) => s.group === 'cache')?.points.reduce<number>((sum, p) => sum + (p ?? 0), 0)).toBe(2);
    const html = renderDashboardPage(loadDashboards(), envelopes, now);
    expect(html).toContain('Fallback activations by strategy');
    expect(html).toContain('localHints');
  });
});
