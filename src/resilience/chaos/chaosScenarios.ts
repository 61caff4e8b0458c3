/** Where a fault is injected: the HTTP backend (the API client's fetch); socket and storage come later. */
export type ChaosKey = 'backend';

/** Polly-style chaos strategies: a thrown fault, added latency, or a synthesized outcome (an HTTP status). */
export type ChaosRule =
  | { readonly key: ChaosKey; readonly kind: 'fault'; readonly rate: number }
  | { readonly key: ChaosKey; readonly kind: 'latency'; readonly rate: number; readonly latencyMs: number }
  | { readonly key: ChaosKey; readonly kind: 'outcome'; readonly rate: number; readonly status: number };

/** Runtime chaos for a run: the seed (same seed, same faults) and the named scenario whose rules apply. */
export interface ChaosSettings {
  readonly seed: number;
  readonly scenario: string;
  readonly rules: readonly ChaosRule[];
}

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
