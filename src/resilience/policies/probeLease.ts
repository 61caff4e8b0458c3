/** Exclusive right, across tabs, to probe one backend while its breaker is half-open. */
export interface ProbeLease {
  release(): void;
}
