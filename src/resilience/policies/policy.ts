import { classify } from '../core/classify';
import { ResilienceError } from '../core/errors';
import type { Result } from '../core/result';

/** What a policy hands the operation it runs. */
export interface PolicyContext {
  /** Aborts when the caller's signal aborts or a timeout policy's deadline passes: pass it on to fetch. */
  readonly signal: AbortSignal | undefined;
  /** 1 for the first attempt; each retry counts up. */
  readonly attempt: number;
}

/** An operation a policy runs. A throw or rejection is classified into a {@link ResilienceError}. */
export type Operation<T> = (context: PolicyContext) => Promise<T>;

/** The rest of a pipeline as a policy step sees it: failure is a value. */
export type Next<T> = (context: PolicyContext) => Promise<Result<T, ResilienceError>>;

/** A policy's rule: runs `next` (what it wraps) under that rule. Never rejects. */
export type PolicyStep = <T>(next: Next<T>, context: PolicyContext) => Promise<Result<T, ResilienceError>>;

/** A resilience policy (retry, circuit breaker, timeout, or several combined by {@link wrap}). */
export interface Policy {
  /** Runs `operation` under the policy. Resolves to `{ok:true,value}` or `{ok:false,error}`; never rejects. */
  run<T>(operation: Operation<T>, signal?: AbortSignal): Promise<Result<T, ResilienceError>>;
  /** Runs `operation` under the policy. Resolves with its value, or rejects with the final ResilienceError. */
  execute<T>(operation: Operation<T>, signal?: AbortSignal): Promise<T>;
  /** The rule itself, for {@link wrap}. */
  readonly step: PolicyStep;
}

/** Turns a thrown operation into a Result; an abort of the context's signal is ABORTED (or TIMEOUT, see below). */
export function asResult<T>(operation: Operation<T>): Next<T> {
  return async (context) => {
    try {
      return { ok: true, value: await operation(context) };
    } catch (error) {
      const reason: unknown = context.signal?.aborted ? context.signal.reason : undefined;
      if (reason instanceof ResilienceError) return { ok: false, error: reason };
      return { ok: false, error: classify(error) };
    }
  };
}

/** Makes a {@link Policy} from its rule. */
export function definePolicy(step: PolicyStep): Policy {
  const run = <T>(operation: Operation<T>, signal?: AbortSignal) => step(asResult(operation), { signal, attempt: 1 });
  return {
    step,
    run,
    async execute(operation, signal) {
      const result = await run(operation, signal);
      if (result.ok) return result.value;
      throw result.error;
    },
  };
}

/**
 * Combines policies into one, the first outermost. In `wrap(retry(…), circuitBreaker(…), timeout(…))` every
 * attempt passes the breaker and has its own timeout; in `wrap(circuitBreaker(…), retry(…))` the breaker sees
 * only the outcome of the whole retried call. With no policy, runs the operation as it is.
 */
export function wrap(...policies: readonly Policy[]): Policy {
  const steps = policies.map((policy) => policy.step);
  const step: PolicyStep = <T>(next: Next<T>, context: PolicyContext) => {
    const chain = steps.reduceRight<Next<T>>((inner, outer) => (innerContext) => outer(inner, innerContext), next);
    return chain(context);
  };
  return definePolicy(step);
}
