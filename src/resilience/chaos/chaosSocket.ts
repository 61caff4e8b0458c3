import type { WebSocketConstructor, WebSocketLike } from '../transport/socket/socketTypes';
import type { ChaosEngine } from './chaosEngine';

/** Close code a browser reports when a connection ended without a close frame (network gone). */
const ABNORMAL_CLOSURE = 1006;

/**
 * Wraps the WebSocket class innermost, under the tutor socket's heartbeat, reconnect and resume. Each arriving
 * frame is one decision: `drop` closes the real connection and reports it as the browser reports a lost one
 * (1006), so the real reconnect and resume must heal it; `silent` makes the connection half-open from then on
 * (no frame arrives, nothing sent leaves, no close event), which only the heartbeat's watchdog can notice.
 */
export function chaosWebSocket(Impl: WebSocketConstructor, engine: ChaosEngine): WebSocketConstructor {
  return class ChaosWebSocket implements WebSocketLike {
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    private readonly real: WebSocketLike;
    private silent = false;
    private dropped = false;

    constructor(url: string) {
      const real = (this.real = new Impl(url));
      const target = `ws ${pathOf(url)}`;
      real.onopen = (event) => this.onopen?.(event);
      real.onerror = (event) => this.onerror?.(event);
      real.onclose = (event) => this.onclose?.(this.dropped ? { code: ABNORMAL_CLOSURE, reason: '' } : event);
      real.onmessage = (event) => {
        if (this.silent || this.dropped) return;
        const rule = engine.decide('socket', target);
        if (rule?.kind === 'drop') {
          this.dropped = true;
          real.close(4001, 'dropped by runtime chaos');
          return;
        }
        if (rule?.kind === 'silent') {
          this.silent = true;
          return;
        }
        this.onmessage?.(event);
      };
    }

    send(data: string): void {
      if (!this.silent) this.real.send(data);
    }

    close(code?: number, reason?: string): void {
      this.real.close(code, reason);
    }
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
