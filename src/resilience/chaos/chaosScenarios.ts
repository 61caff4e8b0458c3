/** Where a fault is injected: the HTTP backend, the tutor socket, IndexedDB, the wall clock, the heap. */
export type ChaosKey = 'backend' | 'socket' | 'storage' | 'clock' | 'memory';

/**
 * Polly-style chaos strategies, per dependency key: for `backend` a thrown fault, added latency or a synthesized
 * outcome (an HTTP status); for `socket` a dropped connection or half-open silence; for `storage` a closed
 * connection or a full quota; for `clock` a forward jump; for `memory` a pressure report.
 */
export type ChaosRule =
  | { readonly key: 'backend'; readonly kind: 'fault'; readonly rate: number }
  | { readonly key: 'backend'; readonly kind: 'latency'; readonly rate: number; readonly latencyMs: number }
  | { readonly key: 'backend'; readonly kind: 'outcome'; readonly rate: number; readonly status: number }
  | { readonly key: 'socket'; readonly kind: 'drop' | 'silent'; readonly rate: number }
  | { readonly key: 'storage'; readonly kind: 'closed' | 'quota'; readonly rate: number }
  | { readonly key: 'clock'; readonly kind: 'jump'; readonly rate: number; readonly jumpMs: number }
  | { readonly key: 'memory'; readonly kind: 'pressure'; readonly rate: number };

/** Every kind of injection, across keys. */
export type ChaosKind = ChaosRule['kind'];

/** Runtime chaos for a run: the seed (same seed, same faults) and the named scenario whose rules apply. */
export interface ChaosSettings {
  readonly seed: number;
  readonly scenario: string;
  readonly rules: readonly ChaosRule[];
}

const TEN_MINUTES_MS = 10 * 60 * 1000;

/** The named scenarios `?chaos=seed:scenario` and the developer panel offer (docs/operations.md, "Runtime chaos"). */
export const CHAOS_SCENARIOS: Readonly<Record<string, readonly ChaosRule[]>> = {
  'backend-503': [{ key: 'backend', kind: 'outcome', rate: 1, status: 503 }],
  'backend-flaky': [{ key: 'backend', kind: 'outcome', rate: 0.3, status: 503 }],
  'backend-down': [{ key: 'backend', kind: 'fault', rate: 1 }],
  'backend-slow': [{ key: 'backend', kind: 'latency', rate: 0.5, latencyMs: 1500 }],
  mixed: [
    { key: 'backend', kind: 'fault', rate: 0.1 },
    { key: 'backend', kind: 'outcome', rate: 0.2, status: 503 },
    { key: 'backend', kind: 'latency', rate: 0.3, latencyMs: 800 },
  ],
  'socket-drop': [{ key: 'socket', kind: 'drop', rate: 0.1 }],
  'socket-silent': [{ key: 'socket', kind: 'silent', rate: 0.05 }],
  'storage-closed': [{ key: 'storage', kind: 'closed', rate: 0.3 }],
  'storage-quota': [{ key: 'storage', kind: 'quota', rate: 0.2 }],
  'clock-jump': [{ key: 'clock', kind: 'jump', rate: 0.2, jumpMs: TEN_MINUTES_MS }],
  'memory-pressure': [{ key: 'memory', kind: 'pressure', rate: 0.2 }],
  everything: [
    { key: 'backend', kind: 'fault', rate: 0.05 },
    { key: 'backend', kind: 'outcome', rate: 0.1, status: 503 },
    { key: 'backend', kind: 'latency', rate: 0.1, latencyMs: 800 },
    { key: 'socket', kind: 'drop', rate: 0.05 },
    { key: 'socket', kind: 'silent', rate: 0.02 },
    { key: 'storage', kind: 'closed', rate: 0.2 },
    { key: 'storage', kind: 'quota', rate: 0.05 },
    { key: 'clock', kind: 'jump', rate: 0.1, jumpMs: TEN_MINUTES_MS },
    { key: 'memory', kind: 'pressure', rate: 0.1 },
  ],
};

export type ChaosParse = { ok: true; settings: ChaosSettings } | { ok: false; message: string };

/** Parses `seed:scenario` (e.g. `42:backend-flaky`); a bad value gets a message naming what is wrong. */
export function parseChaosParam(value: string): ChaosParse {
  const match = /^(\d{1,10}):([a-z0-9-]+)$/.exec(value.trim());
  if (!match) return { ok: false, message: `chaos "${value}" must look like seed:scenario, e.g. 42:backend-flaky.` };
  const seed = Number(match[1]);
  const scenario = match[2] ?? '';
  const rules = CHAOS_SCENARIOS[scenario];
  if (seed > 0xffffffff) return { ok: false, message: `chaos seed ${seed} must be at most ${0xffffffff}.` };
  if (!rules) return { ok: false, message: `chaos scenario "${scenario}" is unknown (known: ${Object.keys(CHAOS_SCENARIOS).join(', ')}).` };
  return { ok: true, settings: { seed, scenario, rules } };
}
