/** The IndexedDB factory of this environment, if touching it does not throw (some private modes do). */
export function defaultIndexedDB(): IDBFactory | undefined {
  try {
    return (globalThis as { indexedDB?: IDBFactory }).indexedDB ?? undefined;
  } catch {
    return undefined;
  }
}
