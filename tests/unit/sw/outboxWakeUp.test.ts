import { OUTBOX_SYNC_TAG, isOutboxDrainMessage } from '../../../src/protocol/serviceWorker';
import { wakeTabsForSync } from '../../../src/sw/outboxWakeUp';

describe('Background Sync wake-up', () => {
  it('asks every open tab (controlled or not) to drain, and sends nothing itself', async () => {
    const received: unknown[][] = [[], []];
    const matchAll = vi.fn(async () => received.map((box) => ({ postMessage: (message: unknown) => void box.push(message) })));
    expect(await wakeTabsForSync(OUTBOX_SYNC_TAG, { matchAll })).toBe(2);
    expect(matchAll).toHaveBeenCalledWith({ type: 'window', includeUncontrolled: true });
    for (const box of received) {
      expect(box).toHaveLength(1);
      expect(isOutboxDrainMessage(box[0])).toBe(true);
    }
  });

  it('ignores other sync tags', async () => {
    const matchAll = vi.fn(async () => []);
    expect(await wakeTabsForSync('something-else', { matchAll })).toBeNull();
    expect(matchAll).not.toHaveBeenCalled();
  });
});
