import type { ResilienceEvent } from '../../../../src/resilience';
import { createErrorPredictor, type VisibilitySource } from '../../../../src/resilience/predictor/errorPredictor';
import { createMetricsCollector } from '../../../../src/resilience/predictor/metricsCollector';
import type { RiskScorer } from '../../../../src/resilience/predictor/predictorTypes';
import { createHysteresis } from '../../../../src/resilience/predictor/riskLevels';
import { fakeWorld } from './fakes';

/** A scorer whose score the test sets. */
function scripted(initial = 0.1): RiskScorer & { value: number } {
  return { name: 'scripted', value: initial, score() { return { score: this.value, factors: [{ name: 'test', weight: this.value, detail: 'scripted' }] }; } };
}

function setup(options: { visibility?: VisibilitySource; scorer?: RiskScorer & { value: number } } = {}) {
  const world = fakeWorld();
  const collector = createMetricsCollector({ clock: world.clock, events: world.events, seams: world.seams(), lagIntervalMs: 1000, onBadEvent: () => predictor.noteBadEvent(), onError: () => undefined });
  const scorer = options.scorer ?? scripted();
  const seen: ResilienceEvent[] = [];
  world.events.subscribe((event) => void (event.type === 'prediction' && seen.push(event)));
  const alerts: string[] = [];
  const predictor = createErrorPredictor({
    clock: world.clock,
    events: world.events,
    collector,
    scorer,
    hysteresis: createHysteresis(),
    visibility: options.visibility,
    onAlert: (prediction) => alerts.push(prediction.level),
  });
  const advance = (ms: number) => world.clock.advanceTo(world.clock.now() + ms);
  return { world, scorer, predictor, seen, alerts, advance, collector };
}

describe('ErrorPredictor', () => {
  it('evaluates every 30 s on the runtime clock and emits prediction events with score, level and factors', () => {
    const { predictor, seen, advance, scorer } = setup();
    predictor.start();
    advance(29_999);
    expect(seen).toHaveLength(0);
    advance(1);
    expect(seen).toHaveLength(1);
    scorer.value = 0.7;
    advance(30_000);
    expect(seen[1]).toMatchObject({ type: 'prediction', score: 0.7, level: 'high', scorer: 'scripted', reason: 'interval', factors: [{ name: 'test' }] });
    expect(predictor.latest()).toMatchObject({ level: 'high' });
    predictor.stop();
    advance(120_000);
    expect(seen).toHaveLength(2);
  });

  it('re-evaluates at once on a burst of bad events, at most once per second', () => {
    const { predictor, seen, advance, world } = setup();
    predictor.start();
    world.fail(100);
    world.fail(100);
    advance(0);
    expect(seen).toHaveLength(0);
    world.fail(100);
    advance(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reason: 'burst' });
    world.fail(100);
    world.fail(100);
    world.fail(100);
    advance(500);
    expect(seen).toHaveLength(1);
    advance(500);
    expect(seen).toHaveLength(2);
  });

  it('pauses while the page is hidden and evaluates again when it shows', () => {
    let hidden = false;
    const listeners = new Set<() => void>();
    const visibility: VisibilitySource = { hidden: () => hidden, subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)) };
    const { predictor, seen, advance, world, collector } = setup({ visibility });
    predictor.start();
    hidden = true;
    listeners.forEach((l) => l());
    // Hidden: the browser sources stop (throttled timers would read as lag); the bus listener stays.
    expect(collector.active()).toEqual(['events', 'memory']);
    advance(300_000);
    for (let i = 0; i < 5; i++) world.fail(100);
    advance(1000);
    expect(seen).toHaveLength(0);
    hidden = false;
    listeners.forEach((l) => l());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reason: 'visible' });
    expect(collector.active()).toEqual(['events', 'memory', 'long-animation-frame', 'pressure', 'eventLoopLag']);
    advance(30_000);
    expect(seen).toHaveLength(2);
    predictor.stop();
    expect(listeners.size).toBe(0);
  });

  it('alerts monitoring once per rise to high or critical', () => {
    const { predictor, alerts, scorer } = setup();
    predictor.start();
    scorer.value = 0.7;
    predictor.evaluate();
    scorer.value = 0.9;
    predictor.evaluate();
    expect(alerts).toEqual(['high']);
    scorer.value = 0.1;
    for (let i = 0; i < 6; i++) predictor.evaluate();
    scorer.value = 0.85;
    predictor.evaluate();
    expect(alerts).toEqual(['high', 'critical']);
  });
});
