import { useEffect } from 'react';

/**
 * What a reload of this tab would lose right now: a draft typed in an Answer or Ask box, an answer being
 * saved, a conversation with the tutor (kept in memory only). Components report it with useUnsavedWork; the
 * service-worker update reloads by itself only while nothing is reported.
 */
const holders = new Set<symbol>();
const listeners = new Set<() => void>();

export function hasUnsavedWork(): boolean {
  return holders.size > 0;
}

export function subscribeUnsavedWork(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function set(holder: symbol, active: boolean): void {
  const changed = active ? !holders.has(holder) : holders.has(holder);
  if (!changed) return;
  if (active) holders.add(holder);
  else holders.delete(holder);
  for (const listener of [...listeners]) listener();
}

/** Reports that this component holds work a reload would lose while `active` is true. */
export function useUnsavedWork(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const holder = Symbol('unsaved work');
    set(holder, true);
    return () => set(holder, false);
  }, [active]);
}
