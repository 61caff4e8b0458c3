import type { FeatureFlags } from '../../resilience';

/**
 * Makes this session's runtime flags the OpenFeature provider, so the app and third-party hooks (Sentry's
 * OpenFeature integration) read them through the ecosystem's interface. The SDK is loaded on demand (its own
 * chunk); a failure to load leaves the runtime's flags working as before.
 */
export async function offerFlagsToOpenFeature(flags: FeatureFlags, targetingKey: string): Promise<void> {
  const [{ OpenFeature }, { createRuntimeFlagsProvider }] = await Promise.all([import('@openfeature/web-sdk'), import('./runtimeFlagsProvider')]);
  await OpenFeature.setContext({ targetingKey });
  // Replacing the provider of the previous session closes it (its flag subscription ends).
  await OpenFeature.setProviderAndWait(createRuntimeFlagsProvider(flags));
}
