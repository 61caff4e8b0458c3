import type { Page } from 'playwright-core';
import { completedReply, openLesson, referenceReply, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForText, type E2EWorld } from '../helpers/e2e';

interface StoredRow {
  key: string;
  body: string;
}

/** Every stored checkpoint record in the page's real IndexedDB (key order), and the quarantine's size. */
function readCheckpoints(page: Page): Promise<{ rows: StoredRow[]; quarantined: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('resilience-checkpoints');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const rows = await new Promise<StoredRow[]>((resolve) => {
      const found: StoredRow[] = [];
      const cursor = db.transaction('checkpoints').objectStore('checkpoints').openCursor();
      cursor.onsuccess = () => {
        const current = cursor.result;
        if (!current) return resolve(found);
        found.push({ key: String(current.key), body: (current.value as { body: string }).body });
        current.continue();
      };
    });
    const quarantined = await new Promise<number>((resolve) => {
      const request = db.transaction('quarantine').objectStore('quarantine').count();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return { rows, quarantined };
  });
}

/** Waits until the newest stored checkpoint contains every one of `parts` (the debounced save landed). */
async function waitForCheckpointWith(page: Page, ...parts: string[]): Promise<void> {
  await waitFor(() => readCheckpoints(page), ({ rows }) => rows.length > 0 && parts.every((part) => rows[rows.length - 1]!.body.includes(part)), `a checkpoint with ${parts.join(', ')}`);
}

const card = (page: Page, n: number) => page.getByRole('group', { name: `Exercise ${n}` });
const status = (page: Page) => page.locator('.resume-notice [role="status"]');

describe('checkpoints: a lesson resumes after a crash or reload (Chromium, real IndexedDB)', () => {
  let world: E2EWorld;
  afterEach(async () => {
    await world.close();
  });

  it('after a renderer crash mid-lesson, a new tab is on the same exercise with the same drafts, hints and chat; the cut-off reply is re-asked, not duplicated', async () => {
    // Slow tokens, so the second reply is still streaming when the renderer dies.
    world = await startWorld({ tokenDelayMs: 120 });
    const { page, server, browser } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await submitAnswer(page, 1, '1/2');
    await waitForText(card(page, 1), /Done/, 20_000);
    await card(page, 2).getByLabel('Answer').fill('3/');
    await card(page, 2).getByRole('button', { name: 'Show hint' }).click();
    await page.getByLabel('Ask the tutor').fill('What is a denominator?');
    await page.getByRole('button', { name: 'Send' }).click();
    const firstReply = await completedReply(page.getByRole('log').locator('li.chat-tutor').first(), 60_000);
    await page.getByLabel('Ask the tutor').fill('How do I add fractions?');
    await page.getByRole('button', { name: 'Send' }).click();
    const streaming = page.getByRole('log').locator('li.chat-tutor').nth(1);
    await waitForText(streaming, /^Tutor: \S+/);
    await waitForCheckpointWith(page, '"3/"', 'How do I add fractions?', '"state":"streaming"');
    expect(await streaming.getAttribute('aria-busy')).toBe('true');

    const cdp = await browser.context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    void cdp.send('Page.crash').catch(() => undefined); // the renderer dies: no pagehide, no unload (never answers)
    await crashed;
    const reopened = await browser.newPage();
    await page.close().catch(() => undefined);
    await openLesson(reopened, server.url, 'fractions', 'Fractions');

    await waitForText(status(reopened), /^Picked up where you left off\.$/);
    expect(await card(reopened, 2).getAttribute('aria-current')).toBe('step');
    expect(await card(reopened, 2).getByLabel('Answer').inputValue()).toBe('3/');
    expect(await card(reopened, 2).getByRole('list', { name: 'Hints' }).locator('li').count()).toBe(1);
    const log = reopened.getByRole('log');
    await waitForText(log, /You: What is a denominator\?/);
    const replies = log.locator('li.chat-tutor');
    expect(await completedReply(replies.first())).toBe(firstReply);
    const reasked = await completedReply(replies.nth(1), 60_000);
    expect(reasked).toBe(await referenceReply(server.url, 'fractions', 'How do I add fractions?'));
    expect(await log.locator('li.chat-student').allTextContents()).toEqual(['You: What is a denominator?', 'You: How do I add fractions?']);
    expect(await replies.count()).toBe(2);
  });

  it('a checkpoint corrupted in IndexedDB between reloads: the previous one is restored and the problem is said', async () => {
    world = await startWorld();
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await submitAnswer(page, 1, '1/2');
    await waitForText(card(page, 1), /Done/, 20_000);
    await waitForCheckpointWith(page, '"current":1', '"kind":"step"');
    await card(page, 2).getByLabel('Answer').fill('draft that gets corrupted');
    await waitForCheckpointWith(page, 'draft that gets corrupted');

    // One byte of the newest checkpoint flipped on disk (its record stays JSON; only the hash can tell).
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('resilience-checkpoints');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('checkpoints', 'readwrite');
        tx.oncomplete = () => resolve();
        const cursor = tx.objectStore('checkpoints').openCursor(null, 'prev');
        cursor.onsuccess = () => {
          const newest = cursor.result!;
          const value = newest.value as { body: string; hash: string };
          const at = value.body.indexOf('corrupted');
          newest.update({ ...value, body: `${value.body.slice(0, at)}C${value.body.slice(at + 1)}` });
        };
        cursor.onerror = () => reject(cursor.error);
      });
      db.close();
    });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForText(status(page), /^Picked up where you left off\. Your very latest changes could not be restored\.$/);
    expect(await card(page, 2).getAttribute('aria-current')).toBe('step');
    expect(await card(page, 2).getByLabel('Answer').inputValue()).toBe('');
    const { rows, quarantined } = await readCheckpoints(page);
    expect(quarantined).toBe(1);
    expect(rows.some((row) => row.body.includes('Corrupted') || row.body.includes('draft that gets'))).toBe(false);
  });

  it('a restore that throws at boot twice: the third boot starts clean and says so', async () => {
    world = await startWorld();
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await card(page, 1).getByLabel('Answer').fill('poisoned draft');
    await waitForCheckpointWith(page, 'poisoned draft');
    await setDevSetting(page, server.url, 'tutor.dev.checkpointRestoreThrows', '1');
    const errors: string[] = [];
    page.on('pageerror', (error) => void errors.push(error.message));
    for (const boot of [1, 2]) {
      await page.goto(`${server.url}/#/lessons/fractions`);
      await page.reload();
      await waitFor(async () => errors.length, (count) => count >= boot, `restore failure on boot ${boot}`);
      expect(await page.getByRole('heading', { level: 1, name: 'Fractions' }).count()).toBe(0);
    }
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForText(status(page), /^Restoring your saved place in this lesson failed twice, so the lesson starts fresh this time\.$/);
    expect(await card(page, 1).getByLabel('Answer').inputValue()).toBe('');
    expect(errors.every((message) => message.includes('checkpointRestoreThrows'))).toBe(true);
    expect(errors).toHaveLength(2);
  });
});
