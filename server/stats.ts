/** In-memory counters for /__stats. They restart at zero with the process; applied answers come from the database. */
export function createCounters() {
  return {
    answers: { received: 0, applied: 0, replayed: 0, rejected: 0, conflicts: 0 },
    socket: { total: 0, framesDropped: 0, framesIgnoredWhileSilent: 0, asksAnswered: 0, asksDeduplicated: 0, asksReceived: 0 },
    tutor: { repliesComputed: 0, httpAsks: 0 },
    http: { requests: 0, chaosFailures: 0, chaosBlackholed: 0, chaosDroppedResponses: 0 },
  };
}

export type Counters = ReturnType<typeof createCounters>;
