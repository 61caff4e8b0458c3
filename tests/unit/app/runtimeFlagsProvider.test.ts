import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import { systemClock } from '../../../src/resilience/core/clock';
import { memoryStorage } from '../../../src/resilience/core/syncStorage';
import { createFeatureFlags } from '../../../src/resilience/flags/featureFlags';
import { createRuntimeFlagsProvider } from '../../../src/app/flags/runtimeFlagsProvider';
import { flagsWith } from '../resilience/helpers';
import flagsFile from '../../../feature-flags.json';

describe('the runtime flags as an OpenFeature provider', () => {
  afterEach(async () => {
    await OpenFeature.clearProviders();
  });

  it('evaluates through the OpenFeature client and announces live changes with the flags that changed', async () => {
    const flags = createFeatureFlags({ source: flagsFile, events: createEventBus(systemClock()), storage: memoryStorage(), allowOverrides: false, userId: 'ada' });
    await OpenFeature.setProviderAndWait(createRuntimeFlagsProvider(flags));
    const client = OpenFeature.getClient();
    expect(client.getBooleanValue('outbox', false)).toBe(true);
    expect(client.getBooleanDetails('predictor', true)).toMatchObject({ value: false, variant: 'off', reason: 'SPLIT' });
    expect(client.getBooleanDetails('nope', true)).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
    expect(client.getStringDetails('outbox', 'x')).toMatchObject({ value: 'x', errorCode: 'TYPE_MISMATCH' });

    const changes: (string[] | undefined)[] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => changes.push(details?.flagsChanged));
    flags.update(flagsWith({ outbox: false }));
    expect(client.getBooleanValue('outbox', true)).toBe(false);
    await vi.waitFor(() => expect(changes).toEqual([['outbox']]));
    flags.update(flagsWith({ outbox: false })); // no effective change, no event
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(changes).toHaveLength(1);
  });
});
