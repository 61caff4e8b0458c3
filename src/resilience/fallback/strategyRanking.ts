import type { StrategyTally } from './strategyMetrics';

/** Default weight of the exploration bonus: UCB1 uses √2; 1 explores a little less eagerly. */
export const DEFAULT_EXPLORATION_WEIGHT = 1;

/**
 * A strategy's ranking score, UCB1 over a Laplace-smoothed success rate:
 *
 *   (successes + 1) / (attempts + 2)  +  c · √( ln(totalAttempts + 1) / (attempts + 1) )
 *
 * The first term is the posterior mean of a Beta(1, 1) prior, so one lucky or unlucky try does not decide the
 * order. The second grows slowly with the op type's total tries and shrinks with this strategy's own, so a
 * strategy that rarely runs (it sits behind one that usually succeeds) is moved to the front now and then and
 * its rate stays current; the cost is O(log n) exploratory first tries. Deterministic: no random source.
 */
export function strategyScore(tally: StrategyTally | undefined, logTotal: number, explorationWeight: number): number {
  const attempts = tally?.attempts ?? 0;
  const successes = tally?.successes ?? 0;
  return (successes + 1) / (attempts + 2) + explorationWeight * Math.sqrt(logTotal / (attempts + 1));
}

/**
 * Orders `strategies` best first by {@link strategyScore}; equal scores keep registration order (so with no
 * observations at all the chain is exactly the registered one). Returns a new array.
 */
export function rankStrategies<S extends { readonly name: string }>(
  strategies: readonly S[],
  tallies: ReadonlyMap<string, StrategyTally>,
  explorationWeight: number = DEFAULT_EXPLORATION_WEIGHT,
): S[] {
  let total = 0;
  for (const strategy of strategies) total += tallies.get(strategy.name)?.attempts ?? 0;
  const logTotal = Math.log(total + 1);
  const scores = strategies.map((strategy) => strategyScore(tallies.get(strategy.name), logTotal, explorationWeight));
  const order = strategies.map((_, index) => index);
  // Stable: ties fall back to the index, i.e. registration order.
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return order.map((index) => strategies[index] as S);
}
