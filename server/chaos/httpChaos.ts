import type { IncomingMessage } from 'node:http';
import type { ChaosConfig } from '../../src/protocol/dev';
import { HttpError } from '../http/errors';

/** What chaos does to one request. */
export type HttpFault =
  | { kind: 'none' }
  | { kind: 'fail'; status: number; retryAfterSeconds: number | null; latencyMs: number }
  | { kind: 'blackhole' }
  | { kind: 'pass'; latencyMs: number; dropResponse: boolean };

/** Rolls the dice for one request. Rates of 0 and 1 are exact (random() is in [0, 1)). */
export function decideFault(config: ChaosConfig['http'], pathname: string, random: () => number): HttpFault {
  if (!pathname.startsWith(config.pathPrefix)) return { kind: 'none' };
  if (config.failNext > 0 || random() < config.failRate) {
    return { kind: 'fail', status: config.status, retryAfterSeconds: config.retryAfterSeconds, latencyMs: config.latencyMs };
  }
  if (random() < config.blackholeRate) return { kind: 'blackhole' };
  return { kind: 'pass', latencyMs: config.latencyMs, dropResponse: random() < config.dropResponseRate };
}

export function injectedFailure(fault: Extract<HttpFault, { kind: 'fail' }>): HttpError {
  const headers: Record<string, string> = fault.retryAfterSeconds === null ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
  return new HttpError(fault.status, 'CHAOS_INJECTED', `Injected failure (chaos): HTTP ${fault.status}.`, headers);
}

/**
 * Requests held open by the blackhole fault. They stay unanswered until chaos stops blackholing
 * (then they are processed normally, like a very slow server) or the client gives up.
 */
export function createBlackhole() {
  const held = new Set<(outcome: 'released' | 'gone') => void>();
  return {
    /** Resolves 'released' when let go, 'gone' when the client closed the connection or the server stops. */
    hold(req: IncomingMessage): Promise<'released' | 'gone'> {
      return new Promise((resolve) => {
        const settle = (outcome: 'released' | 'gone') => {
          held.delete(settle);
          req.socket.off('close', onClose);
          resolve(outcome);
        };
        const onClose = () => settle('gone');
        req.socket.once('close', onClose);
        held.add(settle);
      });
    },
    releaseAll(outcome: 'released' | 'gone' = 'released'): void {
      for (const settle of [...held]) settle(outcome);
    },
    get size(): number {
      return held.size;
    },
  };
}

export type Blackhole = ReturnType<typeof createBlackhole>;
