/**
 * The Web Locks name (and lease record key) for one database and student. A file of its own: the wiring names
 * the lock in the first load, the drain scheduler builds it after (drainLock.ts, loaded with it).
 */
export function drainLockName(databaseName: string, user: string): string {
  return `outbox-drain:${databaseName.length}:${databaseName}:${user}`;
}
