import { lazyMonitoring, type LoadMonitoring } from '../../../../src/resilience/monitoring/lazyMonitoring';
import { emptyMonitorMetrics } from '../../../../src/resilience/monitoring/monitorMetrics';
import { createResilienceMonitor } from '../../../../src/resilience/monitoring/resilienceMonitor';
import { createTelemetryContext } from '../../../../src/resilience/monitoring/telemetryContext';
import type { TelemetryBridge } from '../../../../src/resilience';
import { flagsWith, testRuntime } from '../helpers';

/** The runtime's bus and flags for a facade of its own, and a load that counts its calls (the first can fail). */
function setup(enabled: boolean, fail = false) {
  const { runtime, ofType } = testRuntime({ flags: { source: flagsWith({ monitoring: enabled }), allowOverrides: true }, storage: { indexedDB: null } });
  const loads: number[] = [];
  const load: LoadMonitoring = () => {
    loads.push(loads.length + 1);
    return fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : import('../../../../src/resilience/monitoring/monitoringWiring');
  };
  const monitoring = lazyMonitoring({ clock: runtime.clock, events: runtime.events, flags: runtime.flags }, load);
  return { runtime, ofType, monitoring, loads };
}

const trip = { backend: 'api', reason: 'failures', reopenAt: 0 } as const;
const silentBridge = (crumbs: string[]): TelemetryBridge => ({ captureError: () => undefined, addBreadcrumb: (crumb) => crumbs.push(crumb.category), count: () => undefined, gauge: () => undefined, distribution: () => undefined });

describe('lazyMonitoring (runtime.monitoring)', () => {
  it('while the flag is off the monitoring code is never loaded, and it reports what an unfed monitor reports', async () => {
    const { runtime, monitoring, loads } = setup(false);
    runtime.events.emit('breaker.opened', trip);
    await monitoring.ready();
    expect(loads).toEqual([]);
    const unfed = { ...emptyMonitorMetrics(0), at: expect.any(Number) };
    expect(monitoring.monitor.getMetrics()).toEqual(unfed);
    expect(createResilienceMonitor({ clock: runtime.clock }).getMetrics()).toEqual(unfed); // the same shape as the real one
    expect(monitoring.context()).toEqual({ mode: 'online', breakers: {}, lastRecovery: null, riskLevel: 'unknown' });
    expect(monitoring.context()).toEqual(createTelemetryContext().snapshot()); // the same as the real one before any event
    monitoring.dispose();
    runtime.dispose();
  });

  it('events from the moment the flag is on are counted, also those before the code loaded, and reach a bridge attached early', async () => {
    const { runtime, monitoring, loads } = setup(true);
    const crumbs: string[] = [];
    monitoring.attachBridge(silentBridge(crumbs));
    runtime.events.emit('breaker.opened', trip); // before the load finished
    expect(monitoring.monitor.getMetrics().sinceStart.breakerTrips).toEqual({});
    await monitoring.ready();
    expect(loads).toEqual([1]);
    expect(monitoring.monitor.getMetrics().sinceStart.breakerTrips).toEqual({ api: 1 });
    expect(crumbs).toContain('resilience.breaker');
    runtime.events.emit('breaker.opened', trip);
    expect(monitoring.monitor.getMetrics().sinceStart.breakerTrips).toEqual({ api: 2 });
    monitoring.dispose();
    runtime.dispose();
  });

  it('a failed load is reported and leaves the flag-off behaviour; the next flag change tries again', async () => {
    const { runtime, ofType, monitoring, loads } = setup(true, true);
    await monitoring.ready();
    await Promise.resolve();
    expect(ofType('runtime.internalError')).toMatchObject([{ subsystem: 'monitoring', message: expect.stringContaining('chunk gone') }]);
    runtime.flags.setOverride('monitoring', true);
    runtime.events.emit('breaker.opened', trip);
    await monitoring.ready();
    expect(loads).toEqual([1, 2]);
    expect(monitoring.monitor.getMetrics().sinceStart.breakerTrips).toEqual({ api: 1 });
    monitoring.dispose();
    runtime.dispose();
  });
});
