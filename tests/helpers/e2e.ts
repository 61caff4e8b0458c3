import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from './browser';
import { signInOverHttp, startTestServer, TEST_PASSPHRASE, type TestServer, type TestServerOptions } from './server';

export interface E2EWorld {
  server: TestServer;
  browser: BrowserSession;
  page: Page;
  close(): Promise<void>;
}

/** The built app (dist/, made by `npm run build` before the e2e run) served by a fresh local server. */
export async function startWorld(options: TestServerOptions = {}): Promise<E2EWorld> {
  // The browser signs in for real: the server trusts no student header.
  const server = await startTestServer({ staticDir: 'dist', tokenDelayMs: 15, trustStudentHeader: false, ...options });
  const browser = await launchBrowser();
  const page = await browser.newPage();
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits until the locator's text matches, polling as a person watching the screen would. */
export async function waitForText(locator: Locator, expected: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent().catch(() => null)) ?? '';
    if (expected.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${expected}; last text: ${JSON.stringify(last)}`);
}

/**
 * Signs in through the sign-in form (name and passphrase; a new name is claimed with it) and waits for the
 * lesson list. `goto: false` signs in on the page as it is (e.g. after Log out), keeping its address.
 */
export async function signIn(page: Page, baseUrl: string, name: string, options: { passphrase?: string; goto?: boolean } = {}): Promise<void> {
  if (options.goto !== false) await page.goto(baseUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(options.passphrase ?? TEST_PASSPHRASE);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${name}`).waitFor();
  if (options.goto !== false) await page.getByRole('heading', { name: 'Lessons' }).waitFor();
}

/** The page's requests to the API (`/api/...` paths, in order), as the browser sent them, with when (Date.now()). */
export function recordApiRequests(page: Page): { readonly paths: string[]; readonly times: number[]; reset(): void } {
  const paths: string[] = [];
  const times: number[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    // The served-flags poll is a separate dependency (docs/operations.md, "Feature flags"), not an API call.
    if (!pathname.startsWith('/api/') || pathname === '/api/flags') return;
    paths.push(`${request.method()} ${pathname}`);
    times.push(Date.now());
  });
  return {
    paths,
    times,
    reset: () => {
      paths.splice(0);
      times.splice(0);
    },
  };
}

/** Polls `read` until `done` holds for its value (a condition, not a fixed sleep); returns that value. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/** Opens a lesson page by its address and waits for its heading (from the network or a saved copy). */
export async function openLesson(page: Page, baseUrl: string, lessonId: string, title: string): Promise<void> {
  await page.goto(`${baseUrl}/#/lessons/${encodeURIComponent(lessonId)}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** Types an answer into the numbered exercise and submits it (does not wait for the outcome). */
export async function submitAnswer(page: Page, exercise: number, text: string): Promise<Locator> {
  const card = page.getByRole('group', { name: `Exercise ${exercise}` });
  await card.getByLabel('Answer').fill(text);
  await card.getByRole('button', { name: 'Submit answer' }).click();
  return card;
}

/** The header's pending-work area: "N pending", "Syncing n of m…", "Sync now"; empty when nothing waits. */
export const pendingWork = (page: Page): Locator => page.locator('.pending-work');

/** Waits until the header says exactly `count` answers are pending (0: the area is empty). */
export async function waitForPending(page: Page, count: number, timeoutMs = 15_000): Promise<void> {
  await waitForText(pendingWork(page), count === 0 ? /^$/ : new RegExp(`^${count} pending`), timeoutMs);
}

/** Sets a developer setting in the app's localStorage (read when a student's runtime starts). */
export async function setDevSetting(page: Page, baseUrl: string, key: string, value: string): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto(baseUrl);
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, v as string), [key, value]);
}

/** The connection banner (`role=status`): "Reconnecting…", "Offline", "Limited mode…", or empty. */
export const connectionBanner = (page: Page): Locator => page.locator('.connection-banner');

/** Asks the tutor on the open lesson page; returns the reply as it appears in the conversation. */
export async function askTutor(page: Page, text: string): Promise<Locator> {
  const log = page.getByRole('log');
  await page.getByLabel('Ask the tutor').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await waitForText(log, new RegExp(`You: ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return log.locator('li.chat-tutor').last();
}

/** Resolves once a reply is complete (no longer aria-busy); returns its text without the "Tutor:" label. */
export async function completedReply(reply: Locator, timeoutMs = 20_000): Promise<string> {
  await waitFor(() => reply.getAttribute('aria-busy'), (busy) => busy === 'false', 'the reply to complete', timeoutMs);
  return ((await reply.textContent()) ?? '').replace(/^Tutor: /, '');
}

/**
 * The tutor's reply to a question, asked over plain HTTP with a fresh id: the tutor is deterministic, so this
 * is what a reply streamed over the socket must equal, word for word.
 */
export async function referenceReply(baseUrl: string, lessonId: string, text: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/tutor/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: await signInOverHttp(baseUrl, 'Reference') },
    body: JSON.stringify({ id: `reference-${crypto.randomUUID()}`, lessonId, text }),
  });
  if (!response.ok) throw new Error(`POST /api/tutor/ask answered ${response.status}`);
  return ((await response.json()) as { text: string }).text;
}

/** Cuts every tutor socket on the server at once (no close handshake); returns how many were cut. */
export async function dropSockets(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/__chaos/socket/drop`, { method: 'POST' });
  return ((await response.json()) as { dropped: number }).dropped;
}

/** Counts full page loads (a reload or a new document; not in-app hash navigation) from now on. */
export function countPageLoads(page: Page): { readonly count: number } {
  const counter = { count: 0 };
  page.on('load', () => void (counter.count += 1));
  return counter;
}

/**
 * Ada signs in (with a short dev breaker open time), opens Fractions, goes offline and answers exercises 1 ("3/8")
 * and 2 ("1/4"): both wait in the outbox ("2 pending").
 */
export async function queueTwoAnswersOffline(world: E2EWorld, breakerOpenMs: number): Promise<void> {
  const { page, server, browser } = world;
  await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', String(breakerOpenMs));
  await signIn(page, server.url, 'Ada');
  await openLesson(page, server.url, 'fractions', 'Fractions');
  await browser.context.setOffline(true);
  await submitAnswer(page, 1, '3/8');
  await waitForPending(page, 1);
  await submitAnswer(page, 2, '1/4');
  await waitForPending(page, 2);
}
