/** The parts of a `recovery.finished` result the monitoring reads; tolerant of missing fields. */
export interface RecoveryOutcome {
  readonly status: string;
  /** Set only for recoveries that worked (healed or recovered). */
  readonly method?: string;
  readonly strategy?: string;
  readonly durationMs?: number;
  readonly code?: string;
}

export function readRecoveryOutcome(result: unknown): RecoveryOutcome {
  const record = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  const status = typeof record.status === 'string' ? record.status : 'unknown';
  const worked = status === 'healed' || status === 'recovered';
  const method = worked ? (typeof record.method === 'string' ? record.method : status === 'healed' ? 'self_healing' : undefined) : undefined;
  return {
    status,
    ...(method ? { method } : {}),
    ...(typeof record.strategy === 'string' ? { strategy: record.strategy } : {}),
    ...(typeof record.durationMs === 'number' && Number.isFinite(record.durationMs) ? { durationMs: record.durationMs } : {}),
    ...(typeof record.code === 'string' ? { code: record.code } : {}),
  };
}
