import type { ErrorCode } from './errors';

/**
 * What one failure code means to each subsystem. The one table of failure classes: every subsystem asks it
 * instead of keeping its own set of codes, and a new code does not compile until it is classified here.
 */
export interface FailureTraits {
  /** A retry may fix it: the default `retryable` of a ResilienceError with this code. */
  readonly retryable: boolean;
  /** How a breaker counts it: the backend is unwell, the backend answered (it is alive), or it says nothing. */
  readonly breaker: 'failure' | 'alive' | 'ignore';
  /** What the outbox does with an entry whose send failed so: send it again later, wait for sign-in, ask a person. */
  readonly replay: 'retry' | 'pause' | 'intervene';
  /** No real answer came back (network, timeout, 5xx, 429, open breaker): a saved copy or the outbox may stand in. */
  readonly unreachable: boolean;
  /** The live socket connection failed, not a request. */
  readonly socket: boolean;
  /** The recovery class of a failed workflow step (docs/architecture.md, Checkpoints). */
  readonly workflow: 'transient' | 'backendDown' | 'badState' | 'needsPerson' | 'unknown';
}

type Row = [retryable: boolean, breaker: FailureTraits['breaker'], replay: FailureTraits['replay'], unreachable: boolean, socket: boolean, workflow: FailureTraits['workflow']];

/*
 * CONFLICT retries: our server answers 409 only while the same Idempotency-Key is still in flight. INVALID_RESPONSE
 * replays: a 2xx that is not our JSON (a captive portal) is no acknowledgement. ABORTED replays: this tab stopped,
 * the server refused nothing. AUTH pauses: the answer is fine, the student must sign in again. A 4xx proves the
 * backend is up, and cancellation is the caller's choice: neither trips a breaker.
 */
const TABLE: Readonly<Record<ErrorCode, Row>> = {
  //                    retryable breaker    replay       unreachable socket workflow
  NETWORK:             [true,     'failure', 'retry',     true,       false, 'transient'],
  TIMEOUT:             [true,     'failure', 'retry',     true,       false, 'transient'],
  ABORTED:             [false,    'ignore',  'retry',     false,      false, 'transient'],
  HTTP_5XX:            [true,     'failure', 'retry',     true,       false, 'backendDown'],
  RATE_LIMITED:        [true,     'failure', 'retry',     true,       false, 'backendDown'],
  HTTP_4XX:            [false,    'alive',   'intervene', false,      false, 'needsPerson'],
  AUTH:                [false,    'alive',   'pause',     false,      false, 'needsPerson'],
  CONFLICT:            [true,     'alive',   'retry',     false,      false, 'badState'],
  CIRCUIT_OPEN:        [false,    'ignore',  'retry',     true,       false, 'backendDown'],
  SOCKET_CLOSED:       [true,     'failure', 'retry',     false,      true,  'transient'],
  SOCKET_STALE:        [true,     'failure', 'retry',     false,      true,  'transient'],
  STORAGE_UNAVAILABLE: [false,    'ignore',  'intervene', false,      false, 'needsPerson'],
  STORAGE_CLOSED:      [true,     'ignore',  'retry',     false,      false, 'transient'],
  STORAGE_QUOTA:       [false,    'ignore',  'intervene', false,      false, 'needsPerson'],
  CHUNK_LOAD:          [false,    'ignore',  'intervene', false,      false, 'transient'],
  MEMORY_PRESSURE:     [false,    'ignore',  'intervene', false,      false, 'transient'],
  INVALID_RESPONSE:    [false,    'ignore',  'retry',     false,      false, 'badState'],
  UNKNOWN:             [false,    'ignore',  'retry',     false,      false, 'unknown'],
};

const TRAITS = new Map<string, FailureTraits>(
  Object.entries(TABLE).map(([code, [retryable, breaker, replay, unreachable, socket, workflow]]) => [
    code,
    Object.freeze({ retryable, breaker, replay, unreachable, socket, workflow }),
  ]),
);

/** The traits of a failure code; a code this build does not know (e.g. from an older stored record) is UNKNOWN's. */
export function failureTraits(code: ErrorCode | string): FailureTraits {
  return TRAITS.get(code) ?? (TRAITS.get('UNKNOWN') as FailureTraits);
}
