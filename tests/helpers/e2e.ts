import type { Locator, Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from './browser';
import { startTestServer, type TestServer, type TestServerOptions } from './server';

export interface E2EWorld {
  server: TestServer;
  browser: BrowserSession;
  page: Page;
  close(): Promise<void>;
}

/** The built app (dist/, made by `npm run build` before the e2e run) served by a fresh local server. */
export async function startWorld(options: TestServerOptions = {}): Promise<E2EWorld> {
  const server = await startTestServer({ staticDir: 'dist', tokenDelayMs: 15, ...options });
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

/** Signs in on the welcome screen and waits for the lesson list. */
export async function signIn(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Start learning' }).click();
  await page.getByRole('heading', { name: 'Lessons' }).waitFor();
}

/** The page's requests to the API (`/api/...` paths, in order), as the browser sent them. */
export function recordApiRequests(page: Page): { readonly paths: string[]; reset(): void } {
  const paths: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) paths.push(`${request.method()} ${pathname}`);
  });
  return { paths, reset: () => void paths.splice(0) };
}

/** Sets a developer setting in the app's localStorage (read when a student's runtime starts). */
export async function setDevSetting(page: Page, baseUrl: string, key: string, value: string): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto(baseUrl);
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, v as string), [key, value]);
}
