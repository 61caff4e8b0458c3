import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainObject } from '../../src/protocol/isPlainObject';

/**
 * Dashboards as code: monitoring/dashboards/*.json in the shape of Sentry's dashboards API, checked here
 * (offline, by `npm run sentry:dashboards -- --check`) and drawn by the local sink (/__sentry/dashboard).
 */
export interface DashboardQuery {
  name: string;
  fields: string[];
  aggregates: string[];
  columns: string[];
  conditions: string;
  orderby: string;
}

export interface DashboardWidget {
  title: string;
  description?: string;
  displayType: DisplayType;
  widgetType: WidgetType;
  interval: string;
  queries: DashboardQuery[];
  layout: { x: number; y: number; w: number; h: number; minH: number };
}

export interface Dashboard {
  title: string;
  widgets: DashboardWidget[];
}

export const DISPLAY_TYPES = ['line', 'area', 'bar', 'table', 'big_number', 'top_n'] as const;
export const WIDGET_TYPES = ['error-events', 'transaction-like', 'spans', 'issue', 'logs', 'tracemetrics', 'discover'] as const;
export type DisplayType = (typeof DISPLAY_TYPES)[number];
export type WidgetType = (typeof WIDGET_TYPES)[number];
export const MAX_WIDGETS = 30;

export const DASHBOARD_DIR = join(import.meta.dirname, '..', '..', 'monitoring', 'dashboards');

/** Every problem of one dashboard definition, each naming the field; empty when it is valid. */
export function validateDashboard(value: unknown, file: string): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${file}: ${message}`);
  if (!isPlainObject(value)) return [`${file}: not a JSON object`];
  if (typeof value.title !== 'string' || value.title.trim() === '') fail('title must be a non-empty string');
  if (!Array.isArray(value.widgets) || value.widgets.length === 0) return [...problems, `${file}: widgets must be a non-empty array`];
  if (value.widgets.length > MAX_WIDGETS) fail(`has ${value.widgets.length} widgets; Sentry allows at most ${MAX_WIDGETS}`);
  value.widgets.forEach((widget: unknown, i: number) => {
    const at = `widgets[${i}]`;
    if (!isPlainObject(widget)) return fail(`${at} is not an object`);
    if (typeof widget.title !== 'string' || widget.title === '') fail(`${at}.title must be a non-empty string`);
    if (!DISPLAY_TYPES.includes(widget.displayType as DisplayType)) fail(`${at}.displayType ${JSON.stringify(widget.displayType)} is not one of ${DISPLAY_TYPES.join(', ')}`);
    if (!WIDGET_TYPES.includes(widget.widgetType as WidgetType)) fail(`${at}.widgetType ${JSON.stringify(widget.widgetType)} is not one of ${WIDGET_TYPES.join(', ')}`);
    if (typeof widget.interval !== 'string' || !/^\d+[mhd]$/.test(widget.interval)) fail(`${at}.interval must look like "5m"`);
    if (!Array.isArray(widget.queries) || widget.queries.length === 0) fail(`${at}.queries must be a non-empty array`);
    else
      widget.queries.forEach((query: unknown, j: number) => {
        const q = `${at}.queries[${j}]`;
        if (!isPlainObject(query)) return fail(`${q} is not an object`);
        for (const field of ['fields', 'aggregates', 'columns'] as const) {
          if (!Array.isArray(query[field]) || !(query[field] as unknown[]).every((v) => typeof v === 'string')) fail(`${q}.${field} must be an array of strings`);
        }
        if (Array.isArray(query.aggregates) && query.aggregates.length === 0) fail(`${q}.aggregates must name at least one aggregate`);
        for (const field of ['name', 'conditions', 'orderby'] as const) if (typeof query[field] !== 'string') fail(`${q}.${field} must be a string`);
        if (widget.widgetType === 'tracemetrics' && typeof query.conditions === 'string' && !/metric\.name:\S+/.test(query.conditions)) fail(`${q}.conditions must name the metric (metric.name:…)`);
      });
    const layout = widget.layout;
    if (!isPlainObject(layout) || !['x', 'y', 'w', 'h', 'minH'].every((k) => Number.isInteger(layout[k]) && (layout[k] as number) >= 0)) fail(`${at}.layout needs whole numbers x, y, w, h, minH`);
    else if ((layout.x as number) + (layout.w as number) > 6) fail(`${at}.layout is wider than the 6-column grid`);
  });
  return problems;
}

/** Reads and validates every dashboard; throws one error listing every problem. */
export function loadDashboards(dir = DASHBOARD_DIR): Dashboard[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  const problems: string[] = [];
  const dashboards: Dashboard[] = [];
  const titles = new Set<string>();
  for (const name of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      problems.push(`${name}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const found = validateDashboard(parsed, name);
    problems.push(...found);
    if (found.length === 0) {
      const dashboard = parsed as Dashboard;
      if (titles.has(dashboard.title)) problems.push(`${name}: title ${JSON.stringify(dashboard.title)} is used by another dashboard (titles identify dashboards on upsert)`);
      titles.add(dashboard.title);
      dashboards.push(dashboard);
    }
  }
  if (files.length === 0) problems.push(`${dir}: no dashboard files`);
  if (problems.length > 0) throw new Error(`Invalid dashboards:\n  ${problems.join('\n  ')}`);
  return dashboards;
}

