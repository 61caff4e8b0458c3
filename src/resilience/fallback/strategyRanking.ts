import type { StrategyTally } from './strategyMetrics';

/** Default weight of the exploration bonus within a tier: UCB1 uses √2; 1 explores a little less eagerly. */
export const DEFAULT_EXPLORATION_WEIGHT = 1;

/** When a strategy counts as failing right now: `failures` in a row (each within the tallies' streak window). */
export interface CoolDownRule {
  readonly failures: number;
  /** How long after its last failure such a strategy is skipped; then it is tried again. */
  readonly coolDownMs: number;
}

export const DEFAULT_COOL_DOWN: CoolDownRule = { failures: 3, coolDownMs: 10_000 };

/**
 * A strategy's score inside its tier, UCB1 over a Laplace-smoothed success rate:
 *
 *   (successes + 1) / (attempts + 2)  +  c · √( ln(tier's attempts + 1) / (attempts + 1) )
 *
 * The first term is the posterior mean of a Beta(1, 1) prior, so one lucky or unlucky try does not decide the
 * order. The second grows slowly with the tier's total tries and shrinks with this strategy's own, so a
 * strategy of equal quality that rarely runs is moved to the front now and then and its rate stays current.
 */
export function strategyScore(tally: StrategyTally | undefined, logTotal: number, explorationWeight: number): number {
  const attempts = tally?.attempts ?? 0;
  const successes = tally?.successes ?? 0;
  return (successes + 1) / (attempts + 2) + explorationWeight * Math.sqrt(logTotal / (attempts + 1));
}

/** Whether the strategy has failed `rule.failures` times in a row and its last failure is younger than the cool-down. */
export function isCoolingDown(tally: StrategyTally | undefined, now: number, rule: CoolDownRule): boolean {
  return tally !== undefined && tally.streak >= rule.failures && now - tally.lastFailureAt < rule.coolDownMs;
}

/**
 * Orders `strategies` for one call (returns a new array):
 * 1. by quality tier: `tier` ascending (a strategy without one is its own tier at its registration index), so
 *    observed success never puts a worse answer before a better one that works;
 * 2. inside a tier of equal quality, by {@link strategyScore}; equal scores keep registration order (with no
 *    observations the chain is exactly the registered one);
 * 3. a strategy that is cooling down ({@link isCoolingDown}) goes after every other one: it is skipped while
 *    anything else can serve, and still tried before giving up.
 */
export function rankStrategies<S extends { readonly name: string; readonly tier?: number }>(
  strategies: readonly S[],
  tallies: ReadonlyMap<string, StrategyTally>,
  now: number,
  explorationWeight: number = DEFAULT_EXPLORATION_WEIGHT,
  rule: CoolDownRule = DEFAULT_COOL_DOWN,
): S[] {
  const tierOf = strategies.map((strategy, index) => strategy.tier ?? index);
  const tierTotals = new Map<number, number>();
  strategies.forEach((strategy, index) => {
    const tier = tierOf[index] as number;
    tierTotals.set(tier, (tierTotals.get(tier) ?? 0) + (tallies.get(strategy.name)?.attempts ?? 0));
  });
  const scores = strategies.map((strategy, index) => strategyScore(tallies.get(strategy.name), Math.log((tierTotals.get(tierOf[index] as number) ?? 0) + 1), explorationWeight));
  const cooling = strategies.map((strategy) => isCoolingDown(tallies.get(strategy.name), now, rule));
  const order = strategies.map((_, index) => index);
  order.sort(
    (a, b) =>
      Number(cooling[a]) - Number(cooling[b]) ||
      (tierOf[a] as number) - (tierOf[b] as number) ||
      (scores[b] as number) - (scores[a] as number) ||
      a - b,
  );
  return order.map((index) => strategies[index] as S);
}
