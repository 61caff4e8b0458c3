import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { Subscribable } from '../core/listeners';
import type { StreamSocketSnapshot } from './socket/socketTypes';

/** When a live streamed call over the socket is worth trying, and how long it may stay silent. */
export interface LiveStreamSettings {
  /** A call that sends nothing (no token) for this long hands over to the fallback chain. Default 4 s. */
  readonly idleMs?: number;
  /**
   * Connections lost or refused in a row (since the socket was last open) after which a live call is not even
   * tried: one is a drop that usually heals within a second or two, two or more is an outage. Default 2.
   */
  readonly skipAfterFailedConnections?: number;
}

/** The default live-stream settings (4 s idle limit, skipped after 2 failed connections). */
export const DEFAULT_LIVE_STREAM_SETTINGS: Required<LiveStreamSettings> = { idleMs: 4_000, skipAfterFailedConnections: 2 };

/** A live-stream policy over one socket; `dispose()` stops following the socket. */
export interface LiveStreamPolicy {
  /** Connections lost or refused since the socket was last open. */
  failedConnections(): number;
  /** False once the socket failed to connect `skipAfterFailedConnections` times in a row: go to the chain at once. */
  worthTrying(): boolean;
  /**
   * Runs a streamed call with an idle limit, not a total one: each `progress()` (a token arrived) restarts it, so a
   * long reply that keeps streaming is never cut off. Silent for `idleMs` → its signal aborts and the call rejects
   * with TIMEOUT; what it produces later is ignored (`progress()` then answers false).
   */
  run<T>(call: (progress: () => boolean, signal: AbortSignal) => Promise<T>): Promise<T>;
  dispose(): void;
}

/** The live-stream policy of a socket (no `socket`: never failed, always worth trying). */
export function createLiveStreamPolicy(socket: Subscribable<StreamSocketSnapshot> | null | undefined, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, settings: LiveStreamSettings = {}): LiveStreamPolicy {
  const idleMs = settings.idleMs ?? DEFAULT_LIVE_STREAM_SETTINGS.idleMs;
  const skipAfter = settings.skipAfterFailedConnections ?? DEFAULT_LIVE_STREAM_SETTINGS.skipAfterFailedConnections;
  let failed = 0;
  const unsubscribe = socket?.subscribe((snapshot) => {
    if (snapshot.state === 'open') failed = 0;
    else if (snapshot.state === 'closed') failed += 1;
  });
  return {
    failedConnections: () => failed,
    worthTrying: () => failed < skipAfter,
    run: <T>(call: (progress: () => boolean, signal: AbortSignal) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        let settled = false;
        const cancel = new AbortController();
        const giveUp = () => {
          settled = true;
          const error = new ResilienceError('TIMEOUT', `The live stream sent nothing for ${idleMs} ms`);
          cancel.abort(error);
          reject(error);
        };
        let timer = clock.setTimeout(giveUp, idleMs);
        const progress = () => {
          if (settled) return false;
          clock.clearTimeout(timer);
          timer = clock.setTimeout(giveUp, idleMs);
          return true;
        };
        const settle = (finish: () => void) => {
          if (settled) return;
          settled = true;
          clock.clearTimeout(timer);
          finish();
        };
        call(progress, cancel.signal).then(
          (value) => settle(() => resolve(value)),
          (error: unknown) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
        );
      }),
    dispose: () => unsubscribe?.(),
  };
}
