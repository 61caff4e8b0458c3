import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { TransactionFaults } from '../core/storageDatabase';
import type { FetchLike } from '../transport/apiTypes';
import type { WebSocketConstructor } from '../transport/socket/socketTypes';
import type { ChaosSettings } from './chaosScenarios';

/** Where runtime chaos is placed: each seam is the innermost layer of its dependency, or absent without rules. */
export interface ChaosSeams {
  backendFetch(fetch: FetchLike): FetchLike;
  readonly storageFaults: TransactionFaults | undefined;
  readonly wrapWebSocket: ((Impl: WebSocketConstructor) => WebSocketConstructor) | undefined;
  /** Starts the tick that jumps the clock and reports memory pressure to `healer`; returns the stop. */
  startTicker(healer: { handleError(error: unknown, context: { op: string }): Promise<unknown> }): () => void;
}

/**
 * Runtime chaos as the runtime's `chaos` option: made by `runtimeChaos(settings)` (chaos/chaosWiring.ts). The
 * runtime itself imports none of the chaos code, so a build that never calls `runtimeChaos` (a production
 * build: the app calls it only in developer-tools builds) ships none of it.
 */
export interface RuntimeChaos {
  readonly settings: ChaosSettings;
  /** The runtime's clock: `base`, or one that chaos can jump when the scenario has `clock` rules. */
  clock(base: Clock): Clock;
  /** The seams for the settings; `clock` is what {@link RuntimeChaos.clock} gave. */
  seams(events: EventBus, clock: Clock, base: Clock): ChaosSeams;
}

/** No chaos: every seam passes through. */
export const NO_CHAOS_SEAMS: ChaosSeams = { backendFetch: (fetch) => fetch, storageFaults: undefined, wrapWebSocket: undefined, startTicker: () => () => undefined };
