/**
 * Circuit breaker states: a discriminated union where each state carries only its own data. Plain data, so
 * JSON.stringify is their toJSON; {@link parseBreakerState} validates what comes back from storage or
 * another tab before it is trusted.
 */
export type BreakerState =
  | { readonly state: 'closed'; readonly since: number }
  | { readonly state: 'open'; readonly openedAt: number; readonly reopenAt: number; readonly reason: string }
  | { readonly state: 'halfOpen'; readonly since: number; readonly reason: string };

/** The validated state, or undefined for anything malformed (corrupt record, foreign message). */
export function parseBreakerState(value: unknown): BreakerState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  switch (v.state) {
    case 'closed':
      return isTime(v.since) ? { state: 'closed', since: v.since } : undefined;
    case 'open':
      return isTime(v.openedAt) && isTime(v.reopenAt) && typeof v.reason === 'string'
        ? { state: 'open', openedAt: v.openedAt, reopenAt: v.reopenAt, reason: v.reason }
        : undefined;
    case 'halfOpen':
      return isTime(v.since) && typeof v.reason === 'string' ? { state: 'halfOpen', since: v.since, reason: v.reason } : undefined;
    default:
      return undefined;
  }
}

/** Time the state was entered, to order concurrent updates from several tabs (newest wins). */
export function stateTime(state: BreakerState): number {
  return state.state === 'open' ? state.openedAt : state.since;
}
