import type { TelemetryBridge } from '../../../../src/resilience';
import { flagsWith, testRuntime, useFakeClock } from '../helpers';

/** A bridge that records what the SDK would have been asked to do. */
function recordingBridge() {
  const calls: Array<{ kind: string; name: string; value?: number; attributes?: Record<string, unknown> }> = [];
  const bridge: TelemetryBridge = {
    captureError: (error, tags) => calls.push({ kind: 'error', name: String((error as Error).message), attributes: { ...tags } }),
    addBreadcrumb: (crumb) => calls.push({ kind: 'breadcrumb', name: crumb.category, attributes: { ...crumb.data } }),
    count: (name, value, attributes) => calls.push({ kind: 'count', name, value, attributes: { ...attributes } }),
    gauge: (name, value, _unit, attributes) => calls.push({ kind: 'gauge', name, value, attributes: { ...attributes } }),
    distribution: (name, value, _unit, attributes) => calls.push({ kind: 'distribution', name, value, attributes: { ...attributes } }),
  };
  return { calls, bridge };
}

describe('runtime monitoring: event telemetry through a lazily attached bridge', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('calls made before the SDK loads are buffered and replayed in order when the bridge attaches', async () => {
    const { runtime } = testRuntime({ flags: { source: flagsWith({ monitoring: true }) }, storage: { indexedDB: null } });
    await runtime.monitoring.ready(); // the monitoring code is loaded once its flag is on
    runtime.events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    runtime.events.emit('fallback.used', { op: 'lesson', strategy: 'cache', stale: true });
    const { calls, bridge } = recordingBridge();
    runtime.monitoring.attachBridge(bridge);
    // The mode store's own reaction to the open breaker (degraded) is reported too, as a breadcrumb, and the
    // outbox's start-up (while the monitoring code loaded) as its depth gauges.
    expect(calls.map((c) => `${c.kind}:${c.name}`)).toContain('breadcrumb:resilience.mode');
    expect(calls.map((c) => `${c.kind}:${c.name}`).filter((c) => c !== 'breadcrumb:resilience.mode' && !c.startsWith('gauge:resilience.outbox.'))).toEqual([
      'breadcrumb:resilience.breaker',
      'count:resilience.breaker.trip',
      'breadcrumb:resilience.fallback',
      'count:resilience.fallback.activation',
    ]);
    const before = calls.length;
    runtime.events.emit('recovery.finished', { op: 'lesson', result: { escalated: false, code: 'HTTP_5XX', callers: 1, status: 'recovered', method: 'fallback', durationMs: 42 } });
    expect(calls.slice(before).map((c) => `${c.kind}:${c.name}`)).toEqual(['breadcrumb:resilience.recovery', 'count:resilience.recovery', 'distribution:resilience.recovery.duration']);
    expect(calls.at(-1)).toMatchObject({ value: 42, attributes: { method: 'fallback', status: 'recovered' } });
    runtime.dispose();
  });

  it('the buffer is bounded: calls beyond it are dropped, counted, and the count is reported on attach', async () => {
    const { runtime } = testRuntime({ flags: { source: flagsWith({ monitoring: true }) }, storage: { indexedDB: null }, monitoring: { bufferLimit: 10 } });
    await runtime.monitoring.ready(); // the monitoring code is loaded once its flag is on
    for (let i = 0; i < 10; i++) runtime.events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 }); // 2 calls each
    expect(runtime.monitoring.droppedBeforeLoad()).toBe(10);
    const { calls, bridge } = recordingBridge();
    runtime.monitoring.attachBridge(bridge);
    expect(calls).toHaveLength(11);
    expect(calls.at(-1)).toEqual({ kind: 'count', name: 'resilience.telemetry.dropped', value: 10, attributes: { stage: 'sdk_loading' } });
    runtime.dispose();
  });

  it('escalations and internal errors become errors with the resilience context; attributes stay low-cardinality', async () => {
    const { runtime } = testRuntime({ flags: { source: flagsWith({ monitoring: true }) }, storage: { indexedDB: null } });
    await runtime.monitoring.ready(); // the monitoring code is loaded once its flag is on
    const { calls, bridge } = recordingBridge();
    const contexts: unknown[] = [];
    runtime.monitoring.attachBridge({ ...bridge, captureError: (error, tags, context) => (contexts.push(context), bridge.captureError(error, tags, context)) });
    runtime.events.emit('mode.changed', { mode: 'degraded', previous: 'online', reason: 'breaker' });
    runtime.events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    runtime.events.emit('escalation.raised', { id: 'esc-123-secret', op: 'lesson', code: 'HTTP_5XX', message: 'Ada could not load' });
    const errors = calls.filter((c) => c.kind === 'error');
    expect(errors).toEqual([{ kind: 'error', name: 'Recovery escalated: lesson (HTTP_5XX)', attributes: { kind: 'escalation', op: 'lesson', code: 'HTTP_5XX' } }]);
    expect(contexts[0]).toMatchObject({ mode: 'degraded', breakers: { api: 'open' } });
    expect(JSON.stringify(calls)).not.toMatch(/esc-123|Ada/);
    runtime.dispose();
  });

  it('flag off: no metrics are kept and nothing reaches the bridge; turning it on starts both', async () => {
    const { runtime } = testRuntime({ flags: { source: flagsWith({ monitoring: false }), allowOverrides: true }, storage: { indexedDB: null } });
    const { calls, bridge } = recordingBridge();
    runtime.monitoring.attachBridge(bridge);
    runtime.events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    expect(calls).toEqual([]);
    expect(runtime.monitoring.monitor.getMetrics().sinceStart.breakerTrips).toEqual({});
    expect(runtime.monitoring.enabled()).toBe(false);
    runtime.flags.setOverride('monitoring', true);
    await runtime.monitoring.ready();
    runtime.events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    expect(calls.map((c) => c.name)).toContain('resilience.breaker.trip');
    expect(runtime.monitoring.monitor.getMetrics().sinceStart.breakerTrips).toEqual({ api: 1 });
    runtime.dispose();
  });

  it('a bridge that throws is reported once as an internal error and never reaches the caller', async () => {
    const { runtime } = testRuntime({ flags: { source: flagsWith({ monitoring: true }) }, storage: { indexedDB: null } });
    await runtime.monitoring.ready(); // the monitoring code is loaded once its flag is on
    const internal: string[] = [];
    runtime.events.subscribe((event) => {
      if (event.type === 'runtime.internalError') internal.push(event.subsystem);
    });
    const { bridge } = recordingBridge();
    runtime.monitoring.attachBridge({ ...bridge, count: () => { throw new Error('sdk broke'); } });
    expect(() => {
      for (let i = 0; i < 5; i++) runtime.events.emit('breaker.opened', { backend: 'api', reason: 'failures', reopenAt: 0 });
    }).not.toThrow();
    expect(internal).toEqual(['monitoring']);
    runtime.dispose();
  });
});
