import { createEventBus } from '../../../src/resilience/core/eventBus';
import { systemClock } from '../../../src/resilience/core/clock';
import { guardedStorage, memoryStorage, type SyncStorageLike } from '../../../src/resilience/core/syncStorage';
import { createFeatureFlags } from '../../../src/resilience/flags/featureFlags';
import { rolloutBucket } from '../../../src/resilience/flags/rollout';
import { FLAG_NAMES, SAFE_DEFAULT_FLAGS, validateFlags, type ResilienceEvent } from '../../../src/resilience';
import flagsFile from '../../../feature-flags.json';

const file = (flags: Record<string, unknown>) => ({ flags: { ...structuredClone(flagsFile.flags), ...flags } });

function build(source: unknown, options: { allowOverrides?: boolean; storage?: SyncStorageLike; userId?: string } = {}) {
  const events = createEventBus(systemClock());
  const seen: ResilienceEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const storage = options.storage ?? memoryStorage();
  const flags = createFeatureFlags({ source, events, storage, allowOverrides: options.allowOverrides ?? false, userId: options.userId });
  return { flags, seen, storage };
}

describe('feature-flags.json validation', () => {
  it('loads the shipped file without messages', () => {
    const { definitions, messages } = validateFlags(flagsFile);
    expect(messages).toEqual([]);
    expect(Object.keys(definitions).sort()).toEqual([...FLAG_NAMES].sort());
    expect(Object.keys(flagsFile.flags).sort()).toEqual([...FLAG_NAMES].sort());
  });

  it('falls back to the safe defaults with one clear error when the file is not JSON', () => {
    const { flags } = build('{ "flags": { "retry": ');
    const { messages } = flags.snapshot();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.message).toMatch(/feature-flags\.json is not valid JSON/);
    for (const name of FLAG_NAMES) expect(flags.isEnabled(name)).toBe(SAFE_DEFAULT_FLAGS[name]);
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['no "flags" object', { flag: {} }],
    ['"flags" of the wrong type', { flags: 'retry' }],
  ])('falls back to safe defaults when the file is %s', (_label, source) => {
    const { messages, definitions } = validateFlags(source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ level: 'error' });
    expect(messages[0]?.message).toMatch(/safe default/);
    expect(definitions.outbox.enabled).toBe(true);
    expect(definitions.predictor.enabled).toBe(false);
  });

  it.each([
    ['is not an object', 'yes', /flag "retry" must be an object/],
    ['has enabled of the wrong type', { enabled: 'true', description: 'Retry.' }, /flag "retry" has "enabled" "true" \(string\); it must be true or false/],
    ['has no description', { enabled: true }, /flag "retry" is missing "description"/],
    ['has an empty description', { enabled: true, description: '  ' }, /flag "retry" has "description" "  " \(string\); it must be a non-empty string/],
    ['has a rollout above 100', { enabled: true, description: 'Retry.', rollout: 150 }, /flag "retry" has "rollout" 150 \(number\); it must be an integer percentage from 0 to 100/],
    ['has a negative rollout', { enabled: true, description: 'Retry.', rollout: -1 }, /"rollout" -1/],
    ['has a fractional rollout', { enabled: true, description: 'Retry.', rollout: 12.5 }, /"rollout" 12.5/],
  ])('disables only a flag that %s, with a message naming it', (_label, entry, pattern) => {
    const { flags } = build(file({ retry: entry }));
    const snapshot = flags.snapshot();
    expect(snapshot.messages.map((m) => m.message).join('\n')).toMatch(pattern);
    expect(snapshot.messages.filter((m) => m.level === 'error').map((m) => m.flag)).toEqual(['retry']);
    expect(flags.isEnabled('retry')).toBe(false);
    expect(flags.isEnabled('circuitBreaker')).toBe(true);
    expect(flags.isEnabled('outbox')).toBe(true);
  });

  it('warns about an unknown flag and ignores it', () => {
    const { flags } = build(file({ retyr: { enabled: true, description: 'typo' } }));
    expect(flags.snapshot().messages).toEqual([
      expect.objectContaining({ level: 'warning', flag: 'retyr', message: expect.stringMatching(/unknown flag "retyr" is ignored/) }),
    ]);
    expect(flags.isEnabled('retry')).toBe(true);
  });

  it('reports file errors as internal-error events', () => {
    const { seen } = build('not json');
    expect(seen.filter((e) => e.type === 'runtime.internalError')).toHaveLength(1);
  });
});

describe('rollout', () => {
  it('is sticky per user and flag, and close to the configured percentage', () => {
    const source = file({ predictor: { enabled: true, description: 'Predictor.', rollout: 30 } });
    const users = Array.from({ length: 2000 }, (_, i) => `student-${i}`);
    const enabledFor = users.filter((userId) => build(source, { userId }).flags.isEnabled('predictor'));
    expect(enabledFor.length / users.length).toBeGreaterThan(0.25);
    expect(enabledFor.length / users.length).toBeLessThan(0.35);
    for (const userId of enabledFor.slice(0, 20)) expect(build(source, { userId }).flags.isEnabled('predictor')).toBe(true);
    expect(rolloutBucket('predictor', 'student-1')).toBe(rolloutBucket('predictor', 'student-1'));
  });

  it('0 % is nobody and a disabled flag stays off whatever the rollout', () => {
    expect(build(file({ predictor: { enabled: true, description: 'p', rollout: 0 } }), { userId: 'a' }).flags.isEnabled('predictor')).toBe(false);
    expect(build(file({ predictor: { enabled: false, description: 'p', rollout: 100 } }), { userId: 'a' }).flags.isEnabled('predictor')).toBe(false);
  });
});

describe('developer overrides', () => {
  it('apply live, persist across reloads and emit flag.changed when allowed', () => {
    const storage = memoryStorage();
    const { flags, seen } = build(flagsFile, { allowOverrides: true, storage });
    const heard: boolean[] = [];
    flags.subscribe((s) => heard.push(s.flags.retry.effective));
    expect(flags.setOverride('retry', false)).toBe(true);
    expect(flags.isEnabled('retry')).toBe(false);
    expect(heard).toEqual([false]);
    expect(seen).toContainEqual(expect.objectContaining({ type: 'flag.changed', flag: 'retry', enabled: false, source: 'override' }));

    const reloaded = build(flagsFile, { allowOverrides: true, storage }).flags;
    expect(reloaded.isEnabled('retry')).toBe(false);
    reloaded.setOverride('retry', null);
    expect(reloaded.isEnabled('retry')).toBe(true);
    expect(storage.size).toBe(0);
  });

  it('are ignored in production, even when a record is left in storage', () => {
    const storage = memoryStorage();
    storage.setItem('resilience.flagOverrides', JSON.stringify({ retry: false }));
    const { flags } = build(flagsFile, { allowOverrides: false, storage });
    expect(flags.isEnabled('retry')).toBe(true);
    expect(flags.setOverride('retry', false)).toBe(false);
    expect(flags.isEnabled('retry')).toBe(true);
  });

  it('survive missing or throwing storage', () => {
    const throwing = guardedStorage(
      () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      () => undefined,
    );
    const { flags } = build(flagsFile, { allowOverrides: true, storage: throwing });
    expect(flags.setOverride('timeout', false)).toBe(true);
    expect(flags.isEnabled('timeout')).toBe(false);
    const none = guardedStorage(() => undefined, () => undefined);
    expect(build(flagsFile, { allowOverrides: true, storage: none }).flags.isEnabled('timeout')).toBe(true);
  });

  it('ignore a corrupt stored record', () => {
    const storage = memoryStorage();
    storage.setItem('resilience.flagOverrides', '{corrupt');
    const { flags, seen } = build(flagsFile, { allowOverrides: true, storage });
    expect(flags.isEnabled('retry')).toBe(true);
    expect(seen).toContainEqual(expect.objectContaining({ type: 'runtime.internalError', subsystem: 'flags' }));
  });
});
