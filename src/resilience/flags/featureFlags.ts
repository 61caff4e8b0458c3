import type { EventBus } from '../core/eventBus';
import { createListeners } from '../core/listeners';
import { reportInternalError } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import { FLAG_NAMES, type FlagName } from './flagNames';
import { anonymousId } from './anonymousId';
import { createOverrideStore, type FlagOverrides } from './overrideStore';
import { isInRollout } from './rollout';
import { validateFlags, type FlagDefinition, type FlagMessage } from './validateFlags';

/** One flag as the runtime sees it: its definition plus the effective value after rollout and override. */
export interface FlagState extends FlagDefinition {
  /** The effective value: file value, then rollout, then a developer override when allowed. */
  readonly effective: boolean;
  readonly override?: boolean;
  readonly inRollout: boolean;
}

/** Immutable view of every flag with the validation messages of the flags file. */
export interface FlagsSnapshot {
  readonly flags: Readonly<Record<FlagName, FlagState>>;
  readonly messages: readonly FlagMessage[];
  readonly overridesAllowed: boolean;
}

/**
 * The effective feature flags of this user: file values, rollout buckets and developer overrides; subscribe to hear
 * changes.
 */
export interface FeatureFlags {
  isEnabled(name: FlagName): boolean;
  /** Immutable; the same object until something changes (safe for useSyncExternalStore). */
  snapshot(): FlagsSnapshot;
  /**
   * Sets (true/false) or clears (null) a developer override, persisted to storage. Ignored (returns false)
   * when overrides are not allowed, i.e. in production builds.
   */
  setOverride(name: FlagName, enabled: boolean | null): boolean;
  subscribe(listener: (snapshot: FlagsSnapshot) => void): () => void;
  /**
   * Replaces the flag source (served flags, docs/operations.md "Feature flags"): validated like the file,
   * `flag.changed` (source "served") for each effective change, then subscribers. Overrides stay on top.
   */
  update(source: unknown): FlagsSnapshot;
}

export interface FeatureFlagsOptions {
  /** The feature-flags.json content: text or an already parsed value. */
  source: unknown;
  /** Sticky rollout buckets; missing or empty → a stable anonymous id kept in `storage`. */
  userId?: string;
  allowOverrides: boolean;
  storage: SyncStorageLike;
  storageKey?: string;
  events: EventBus;
}

export const DEFAULT_OVERRIDES_KEY = 'resilience.flagOverrides';

/**
 * Feature flags from feature-flags.json with sticky rollout and developer overrides. Validation problems are
 * in `snapshot().messages` and are also reported as `runtime.internalError` events (subsystem "flags").
 */
export function createFeatureFlags(options: FeatureFlagsOptions): FeatureFlags {
  const { events, allowOverrides } = options;
  // Only a partial rollout needs a bucket: the anonymous id is made (and stored) when one first does.
  let userId = options.userId || undefined;
  const bucketId = () => (userId ??= anonymousId(options.storage));
  const validate = (source: unknown) => {
    const result = validateFlags(source);
    for (const m of result.messages) if (m.level === 'error') reportInternalError(events, 'flags', new Error(m.message));
    return result;
  };
  let { definitions, messages } = validate(options.source);

  const store = createOverrideStore(options.storage, options.storageKey ?? DEFAULT_OVERRIDES_KEY, (message) =>
    reportInternalError(events, 'flags', new Error(message)),
  );
  // Overrides are never read in production: a stale record left from a dev session must not change behaviour.
  let overrides: FlagOverrides = allowOverrides ? store.load() : {};
  const listeners = createListeners<FlagsSnapshot>((error) => reportInternalError(events, 'flags', error));

  const build = (): FlagsSnapshot => {
    const flags = {} as Record<FlagName, FlagState>;
    for (const name of FLAG_NAMES) {
      const definition = definitions[name];
      const { rollout } = definition;
      const inRollout = rollout === undefined || rollout >= 100 || (rollout > 0 && isInRollout(name, bucketId(), rollout));
      const override = overrides[name];
      const effective = override ?? (definition.enabled && inRollout);
      flags[name] = { ...definition, effective, inRollout, ...(override === undefined ? {} : { override }) };
    }
    return { flags, messages, overridesAllowed: allowOverrides };
  };
  let current = build();

  return {
    isEnabled: (name) => current.flags[name].effective,
    snapshot: () => current,
    setOverride(name, enabled) {
      if (!allowOverrides) return false;
      const before = current.flags[name].effective;
      const next = { ...overrides };
      if (enabled === null) delete next[name];
      else next[name] = enabled;
      overrides = next;
      store.save(overrides);
      current = build();
      const after = current.flags[name].effective;
      if (after !== before) events.emit('flag.changed', { flag: name, enabled: after, source: 'override' });
      listeners.notify(current);
      return true;
    },
    subscribe: listeners.subscribe,
    update(source) {
      const before = current;
      ({ definitions, messages } = validate(source));
      current = build();
      for (const name of FLAG_NAMES) {
        const enabled = current.flags[name].effective;
        if (enabled !== before.flags[name].effective) events.emit('flag.changed', { flag: name, enabled, source: 'served' });
      }
      listeners.notify(current);
      return current;
    },
  };
}
