import type { TransactionFaults } from '../core/storageDatabase';
import type { ChaosEngine } from './chaosEngine';

/**
 * IndexedDB faults at the database layer, decided once per readwrite transaction (its retry after a reopen is
 * not injected again, as a browser closes a connection once). `closed` really closes the connection, so the
 * browser's own `transaction()` throws the InvalidStateError it throws after the user cleared storage or Safari
 * lost its IndexedDB server; the layer's reopen and self-healing must recover it. `quota` throws the
 * QuotaExceededError a full origin gives, which no retry can fix: the caller's quota path must say so.
 */
export function chaosStorageFaults(engine: ChaosEngine): TransactionFaults {
  return (db, storeName, mode) => {
    if (mode !== 'readwrite') return;
    const rule = engine.decide('storage', `${db.name}/${storeName} readwrite`);
    if (rule?.kind === 'closed') db.close();
    if (rule?.kind === 'quota') throw new DOMException('The quota has been exceeded (injected by runtime chaos).', 'QuotaExceededError');
  };
}
