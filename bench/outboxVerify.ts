/** The outbox benches' check, from the server's own records (/__stats): exactly once, and in order per scope. */
import type { ServerProcess } from './outbox.server';

/** One queued answer: its Idempotency-Key, its lesson scope and its number within the scope. */
export interface Queued {
  readonly key: string;
  readonly scope: number;
  readonly n: number;
}

/** "exactly-once yes, per-scope order yes" when every key was applied once and each scope's answers in order. */
export async function verifyExactlyOnce(server: ServerProcess, queued: readonly Queued[]): Promise<string> {
  const stats = await server.stats();
  const keys = new Set(stats.appliedKeys);
  const exactlyOnce = stats.appliedKeys.length === queued.length && keys.size === queued.length && queued.every((item) => keys.has(item.key));
  const lastByScope = new Map<string, number>();
  let ordered = true;
  for (const record of stats.applied) {
    const [scope = '', n = ''] = record.answer.split('#');
    if ((lastByScope.get(scope) ?? -1) >= Number(n)) ordered = false;
    lastByScope.set(scope, Number(n));
  }
  return `exactly-once ${exactlyOnce ? 'yes' : `NO (${stats.appliedKeys.length} applied)`}, per-scope order ${ordered ? 'yes' : 'NO'}`;
}
