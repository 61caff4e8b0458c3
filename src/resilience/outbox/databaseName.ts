/** The IndexedDB database of the runtime (outbox, response cache, checkpoints, intervention items) unless configured. */
export const DATABASE_NAME = 'resilience';
