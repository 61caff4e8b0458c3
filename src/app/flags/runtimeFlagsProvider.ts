import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/web-sdk';
import { FLAG_NAMES, type FeatureFlags, type FlagName, type FlagsSnapshot } from '../../resilience';

const KNOWN: ReadonlySet<string> = new Set(FLAG_NAMES);

/**
 * The runtime's flags as an OpenFeature web provider (docs/operations.md, "Feature flags"): evaluation is the
 * runtime's own (file or served flags, sticky rollout, developer overrides), read at each call; every change
 * of an effective value emits PROVIDER_CONFIGURATION_CHANGED naming the flags that changed. Flags are
 * booleans: asking for another type answers the default with TYPE_MISMATCH.
 */
export function createRuntimeFlagsProvider(flags: FeatureFlags): Provider & { readonly events: OpenFeatureEventEmitter } {
  const events = new OpenFeatureEventEmitter();
  let previous: FlagsSnapshot = flags.snapshot();
  let unsubscribe: (() => void) | undefined;

  const mismatch = <T>(flagKey: string, defaultValue: T): ResolutionDetails<T> =>
    KNOWN.has(flagKey)
      ? { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `Flag "${flagKey}" is a boolean.` }
      : notFound(flagKey, defaultValue);

  return {
    metadata: { name: 'resilience-runtime-flags' },
    runsOn: 'client',
    events,
    initialize() {
      unsubscribe ??= flags.subscribe((next) => {
        const changed = FLAG_NAMES.filter((name) => next.flags[name].effective !== previous.flags[name].effective);
        previous = next;
        if (changed.length > 0) events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed });
      });
      return Promise.resolve();
    },
    onClose() {
      unsubscribe?.();
      unsubscribe = undefined;
      return Promise.resolve();
    },
    resolveBooleanEvaluation(flagKey, defaultValue): ResolutionDetails<boolean> {
      if (!KNOWN.has(flagKey)) return notFound(flagKey, defaultValue);
      const state = flags.snapshot().flags[flagKey as FlagName];
      const reason =
        state.override !== undefined ? StandardResolutionReasons.STATIC
        : state.origin === 'default' ? StandardResolutionReasons.DEFAULT
        : state.rollout !== undefined ? StandardResolutionReasons.SPLIT
        : state.effective ? StandardResolutionReasons.STATIC
        : StandardResolutionReasons.DISABLED;
      return {
        value: state.effective,
        variant: state.effective ? 'on' : 'off',
        reason,
        flagMetadata: { origin: state.origin, overridden: state.override !== undefined, inRollout: state.inRollout },
      };
    },
    resolveStringEvaluation: (flagKey, defaultValue) => mismatch(flagKey, defaultValue),
    resolveNumberEvaluation: (flagKey, defaultValue) => mismatch(flagKey, defaultValue),
    resolveObjectEvaluation: <T extends JsonValue>(flagKey: string, defaultValue: T) => mismatch(flagKey, defaultValue),
  };
}

function notFound<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
  return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.FLAG_NOT_FOUND, errorMessage: `No flag "${flagKey}".` };
}
