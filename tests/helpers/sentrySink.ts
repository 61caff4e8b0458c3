import type { Page } from 'playwright-core';
import type { SentryEnvelope, SentryEnvelopesResponse } from '../../src/protocol/dev';
import type { TestServer } from './server';

/** Points the page's monitoring at the test server's envelope sink (runtime config) and turns the flag on or off. */
export async function configureMonitoring(page: Page, server: TestServer, options: { flag: boolean; queueMaxEnvelopes?: number }): Promise<void> {
  const config = {
    sentryDsn: `http://publickey@127.0.0.1:${server.port}/1`,
    sentryEnvironment: 'e2e',
    ...(options.queueMaxEnvelopes === undefined ? {} : { telemetryQueueMaxEnvelopes: options.queueMaxEnvelopes }),
  };
  await page.addInitScript((value) => {
    (window as { __RESILIENCE_CONFIG__?: unknown }).__RESILIENCE_CONFIG__ = value;
  }, config);
  if (!page.url().startsWith(server.url)) await page.goto(server.url);
  await page.evaluate((flag) => localStorage.setItem('resilience.flagOverrides', JSON.stringify({ monitoring: flag })), options.flag);
}

/** GET /__sentry: what the sink parsed, oldest first. */
export async function sinkEnvelopes(server: TestServer): Promise<SentryEnvelope[]> {
  const response = await fetch(`${server.url}/__sentry`);
  return ((await response.json()) as SentryEnvelopesResponse).envelopes;
}

export interface SinkItem {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

export const sinkItems = (envelopes: readonly SentryEnvelope[]): SinkItem[] =>
  envelopes.flatMap((envelope) =>
    envelope.items.map((item) => ({ type: String(item.header.type), payload: (typeof item.payload === 'object' && item.payload !== null ? item.payload : {}) as Record<string, unknown> })),
  );

export interface SinkMetric {
  readonly name: string;
  readonly value: number;
  readonly attributes: Record<string, unknown>;
}

/** Metrics in `trace_metric` items, attributes flattened to their values. */
export const sinkMetrics = (envelopes: readonly SentryEnvelope[]): SinkMetric[] =>
  sinkItems(envelopes)
    .filter((item) => item.type === 'trace_metric')
    .flatMap((item) => (item.payload.items as Array<{ name: string; value: number; attributes?: Record<string, { value: unknown }> }>) ?? [])
    .map((metric) => ({
      name: metric.name,
      value: metric.value,
      attributes: Object.fromEntries(Object.entries(metric.attributes ?? {}).map(([key, attr]) => [key, attr?.value])),
    }));

/** Error events' first exception message. */
export const sinkErrorMessages = (envelopes: readonly SentryEnvelope[]): string[] =>
  sinkItems(envelopes)
    .filter((item) => item.type === 'event')
    .map((item) => ((item.payload.exception as { values?: Array<{ value?: string }> } | undefined)?.values?.[0]?.value ?? String(item.payload.message ?? '')));

/** Every request the page sent to the sink, as bytes on the wire: URL, headers and body. */
export function recordSinkTraffic(page: Page): { readonly requests: string[] } {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (!/\/api\/\d+\/envelope\//.test(request.url())) return;
    const body = request.postDataBuffer()?.toString('utf8') ?? '';
    requests.push(`${request.method()} ${request.url()}\n${JSON.stringify(request.headers())}\n${body}`);
  });
  return { requests };
}

/** Raises an uncaught error in the page (a timer callback that throws). */
export async function raiseUncaught(page: Page, message: string): Promise<void> {
  await page.evaluate((text) => {
    setTimeout(() => {
      throw new Error(text);
    }, 0);
  }, message);
}
