import { recoverFromChunkError } from '../../../src/app/resilience/chunkRecovery';
import { CHUNK_RELOAD_KEY, memoryStorage } from '../../../src/resilience';

const chunkError = () => new TypeError('Failed to fetch dynamically imported module: http://x.test/assets/TutorChat-abc.js');

describe('recovering from a part of the app that failed to load', () => {
  it('hands a chunk-load failure to healing and reports a reload when it healed', async () => {
    const handleError = vi.fn().mockResolvedValue({ healed: true, strategy: 'chunkReload' });
    const outcome = await recoverFromChunkError(chunkError(), { healing: { handleError }, sessionStorage: memoryStorage(), pageStartedAt: 1_000 });
    expect(outcome).toBe('reloading');
    expect(handleError).toHaveBeenCalledWith(expect.objectContaining({ code: 'CHUNK_LOAD' }), { op: 'chunk' });
  });

  it('says failed when healing declines because this page already came from a chunk reload', async () => {
    const sessionStorage = memoryStorage();
    sessionStorage.setItem(CHUNK_RELOAD_KEY, '900'); // marked before this page started
    const handleError = vi.fn().mockResolvedValue({ healed: false, escalated: true });
    expect(await recoverFromChunkError(chunkError(), { healing: { handleError }, sessionStorage, pageStartedAt: 1_000 })).toBe('failed');
  });

  it('says reloading when the page-level handler already asked for the reload (declined as a second report)', async () => {
    const sessionStorage = memoryStorage();
    sessionStorage.setItem(CHUNK_RELOAD_KEY, '1500');
    const handleError = vi.fn().mockResolvedValue({ healed: false, escalated: true });
    expect(await recoverFromChunkError(chunkError(), { healing: { handleError }, sessionStorage, pageStartedAt: 1_000 })).toBe('reloading');
  });

  it('does not heal other errors, nor anything without a runtime', async () => {
    const handleError = vi.fn();
    expect(await recoverFromChunkError(new Error('render bug'), { healing: { handleError }, sessionStorage: null, pageStartedAt: 0 })).toBe('failed');
    expect(handleError).not.toHaveBeenCalled();
    expect(await recoverFromChunkError(chunkError(), { healing: null, sessionStorage: null, pageStartedAt: 0 })).toBe('failed');
  });
});
