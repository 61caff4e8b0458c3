/**
 * The soak (run under the browser lock: it drives Chromium, and builds the app unless given a build).
 * Three tabs of two students (Ada: two tabs, Grace: one) answer exercises continuously while a seeded schedule
 * injects server 503s, dropped responses, blackholes, server restarts, tab reloads, tab closes, offline flaps and
 * wall-clock jumps. Then the faults stop and every tab is left to empty its outbox. Checked from the server's
 * records: every answer whose card confirmed it (checked, or "Saved offline") is applied exactly once, and each
 * tab's answers in the order it submitted them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildApp } from '../../tests/helpers/appBuild';
import { launchBrowser, type BrowserSession } from '../../tests/helpers/browser';
import { openLesson, pendingWork, signIn } from '../../tests/helpers/e2e';
import { startTestServer } from '../../tests/helpers/server';
import { mulberry32 } from '../../src/resilience/chaos/mulberry32';

const FAULT_EVERY_MS = 4_000;
const EMPTY_TIMEOUT_MS = 90_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tab {
  readonly student: string;
  readonly id: number;
  readonly browser: BrowserSession;
  page: Page;
  /** Answers the card confirmed, in submit order. */
  readonly confirmed: string[];
  /** Submissions whose box held another text when the card confirmed (the page replaced what the harness typed). */
  readonly replaced: { typed: string; sent: string }[];
  /** When the harness last reloaded the tab: a reloaded lesson page restores its drafts from a checkpoint. */
  reloadedAt: number;
}

/** Long enough for a reloaded page to restore its drafts before the harness types (else the draft may win). */
const AFTER_RELOAD_MS = 1_500;

async function submitOne(tab: Tab, n: number, baseUrl: string): Promise<void> {
  const answer = `${n}/${1000 + tab.id}`;
  const card = tab.page.getByRole('group', { name: `Exercise ${(n % 5) + 1}` });
  try {
    await sleep(Math.max(0, tab.reloadedAt + AFTER_RELOAD_MS - Date.now()));
    const input = card.getByLabel('Answer');
    await input.fill(answer, { timeout: 5_000 });
    if ((await input.inputValue()) !== answer) throw new Error('the box changed under the harness');
    await card.getByRole('button', { name: 'Submit answer' }).click({ timeout: 5_000 });
    const status = card.getByRole('status');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const text = (await status.textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
      if (/^(Correct|Not quite|Saved offline)/.test(text)) {
        const sent = await input.inputValue();
        if (sent === answer) tab.confirmed.push(answer);
        else tab.replaced.push({ typed: answer, sent });
        return;
      }
      await sleep(50);
    }
  } catch {
    // A reload or an offline flap in the middle: the answer may still be queued (it is then "unconfirmed").
    await openLesson(tab.page, baseUrl, 'fractions', 'Fractions').catch(() => undefined);
    tab.reloadedAt = Date.now();
  }
}

/** How long and with which schedule; `staticDir` serves an existing build instead of making one. */
export interface SoakOptions {
  readonly seconds: number;
  readonly seed: number;
  readonly staticDir?: string;
  readonly log?: (line: string) => void;
  /** Fault kinds drawn but not injected (the schedule stays the same): e.g. `['clock']`. */
  readonly skip?: readonly string[];
}

/** What the soak found, from the server's records. */
export interface SoakReport {
  readonly submitted: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly inversions: number;
  /** ms from the faults stopping to every tab's outbox being empty; NaN when one never emptied. */
  readonly timeToEmptyMs: number;
  readonly faults: Readonly<Record<string, number>>;
}

/** True when nothing was lost, duplicated or reordered and every outbox emptied. */
export const soakPassed = (report: SoakReport): boolean => report.lost === 0 && report.duplicates === 0 && report.inversions === 0 && !Number.isNaN(report.timeToEmptyMs);

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { seconds: SECONDS, seed: SEED } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const random = mulberry32(SEED);
  const ownBuild = options.staticDir === undefined;
  const staticDir = options.staticDir ?? mkdtempSync(join(tmpdir(), 'soak-build-'));
  if (ownBuild) await buildApp(staticDir, { devTools: false });
  const server = await startTestServer({ staticDir, tokenDelayMs: 15, trustStudentHeader: false });
  const browsers: BrowserSession[] = [];
  const tabs: Tab[] = [];
  try {
    for (const [student, count] of [['Ada', 2], ['Grace', 1]] as const) {
      const browser = await launchBrowser();
      browsers.push(browser);
      for (let i = 0; i < count; i++) {
        const page = await browser.newPage();
        if (i === 0) await signIn(page, server.url, student);
        await openLesson(page, server.url, 'fractions', 'Fractions');
        tabs.push({ student, id: tabs.length, browser, page, confirmed: [], replaced: [], reloadedAt: Date.now() });
      }
    }
    const faults: Record<string, number> = {};
    const endAt = Date.now() + SECONDS * 1000;
    let n = 0;
    let nextFault = Date.now() + FAULT_EVERY_MS;
    const loops = tabs.map(async (tab) => {
      let i = 0;
      while (Date.now() < endAt) {
        await submitOne(tab, i++, server.url);
        n += 1;
      }
    });
    while (Date.now() < endAt) {
      await sleep(Math.max(0, nextFault - Date.now()));
      nextFault += FAULT_EVERY_MS;
      const kinds = ['503', 'drop', 'blackhole', 'restart', 'reload', 'offline', 'close', 'clock'] as const;
      const kind = kinds[Math.floor(random() * kinds.length)] ?? '503';
      const tab = tabs[Math.floor(random() * tabs.length)] as Tab;
      const skipped = options.skip?.includes(kind) === true;
      faults[skipped ? `${kind} (skipped)` : kind] = (faults[skipped ? `${kind} (skipped)` : kind] ?? 0) + 1;
      if (kind === '503') await server.chaos({ http: { failRate: 0.5, status: 503, pathPrefix: '/api' } });
      if (kind === 'drop') await server.chaos({ http: { dropResponseRate: 0.4, pathPrefix: '/api/answers' } });
      if (kind === 'blackhole') await server.chaos({ http: { blackholeRate: 0.3, pathPrefix: '/api/answers' } });
      if (kind === 'restart') await server.restart();
      if (kind === 'reload') {
        tab.reloadedAt = Date.now();
        await tab.page.reload().catch(() => undefined);
        tab.reloadedAt = Date.now();
      }
      if (kind === 'close') {
        // The tab is closed without a goodbye; a new one opens in the same profile and must finish its work.
        tab.reloadedAt = Date.now();
        await tab.page.close({ runBeforeUnload: false }).catch(() => undefined);
        tab.page = await tab.browser.newPage();
        await openLesson(tab.page, server.url, 'fractions', 'Fractions').catch(() => undefined);
        tab.reloadedAt = Date.now();
      }
      const jumpMs = kind === 'clock' ? (random() < 0.5 ? 1 : -1) * 10 * 60_000 : 0;
      if (kind === 'clock' && !skipped) {
        // The wall clock jumps 10 min (forward or back) under the page, as after a sleep or an NTP step; the
        // monotonic clock does not.
        await tab.page
          .evaluate((offsetMs) => {
            const wall = Date.now.bind(Date);
            Date.now = () => wall() + offsetMs;
          }, jumpMs)
          .catch(() => undefined);
      }
      if (kind === 'offline') await tab.browser.context.setOffline(true);
      await sleep(2_000);
      if (kind === 'offline') await tab.browser.context.setOffline(false);
      await server.chaos({ http: { failRate: 0, dropResponseRate: 0, blackholeRate: 0, pathPrefix: '/api' } });
    }
    await Promise.all(loops);
    const quietAt = Date.now();
    let emptyAt = Number.NaN;
    while (Date.now() - quietAt < EMPTY_TIMEOUT_MS) {
      const texts = await Promise.all(tabs.map((tab) => pendingWork(tab.page).textContent().catch(() => 'unknown')));
      if (texts.every((text) => text === '')) {
        emptyAt = Date.now();
        break;
      }
      await sleep(250);
    }
    await sleep(1_000);
    const stats = await server.stats();
    const byAnswer = new Map<string, number>();
    for (const record of stats.applied) byAnswer.set(`${record.student}|${record.answer}`, (byAnswer.get(`${record.student}|${record.answer}`) ?? 0) + 1);
    const submitted = tabs.reduce((sum, tab) => sum + tab.confirmed.length, 0);
    // A text sent again because the page put an older draft back into the box is the form's doing, not the outbox's.
    const resent = new Set(tabs.flatMap((tab) => tab.replaced.map((r) => `${tab.student.toLowerCase()}|${r.sent}`)));
    const isResent = (key: string) => resent.has(key) || resent.has(key.toLowerCase());
    const duplicates = [...byAnswer].filter(([key, count]) => count > 1 && !isResent(key)).length;
    const lost = tabs.flatMap((tab) => tab.confirmed.filter((answer) => !byAnswer.has(`${tab.student.toLowerCase()}|${answer}`) && !byAnswer.has(`${tab.student}|${answer}`)));
    let inversions = 0;
    for (const tab of tabs) {
      // Texts the page sent in place of what was typed are left out: their place in the order is the form's.
      const ordered = stats.applied
        .filter((record) => record.answer.endsWith(`/${1000 + tab.id}`) && !isResent(`${record.student}|${record.answer}`))
        .map((record) => Number(record.answer.split('/')[0]));
      for (let i = 1; i < ordered.length; i++) if ((ordered[i] as number) < (ordered[i - 1] as number)) inversions += 1;
    }
    const dupList = [...byAnswer].filter(([key, count]) => count > 1 && !isResent(key)).map(([key]) => key);
    const replaced = tabs.flatMap((tab) => tab.replaced.map((r) => `${tab.student}: typed ${r.typed}, sent ${r.sent}`));
    const unconfirmed = stats.applied.length - (submitted - lost.length) - duplicates;
    log(`soak: ${SECONDS} s, seed ${SEED}, ${tabs.length} tabs of 2 students, faults ${JSON.stringify(faults)}, ${n} submit attempts`);
    log(`submitted (confirmed by the card) ${submitted}`);
    log(`applied ${stats.applied.length} (of which not confirmed before a fault: ${unconfirmed})`);
    log(`duplicates ${duplicates}${dupList.length ? ` (${dupList.slice(0, 5).join(', ')})` : ''}`);
    log(`lost ${lost.length}${lost.length ? ` (${lost.slice(0, 5).join(', ')}…)` : ''}`);
    log(`order inversions ${inversions}`);
    log(`box replaced by the page before submit (not counted above) ${replaced.length}${replaced.length ? ` (${replaced.slice(0, 3).join('; ')})` : ''}`);
    log(`max time to empty after the faults stopped ${Number.isNaN(emptyAt) ? `NOT EMPTY after ${EMPTY_TIMEOUT_MS} ms` : `${emptyAt - quietAt} ms`}`);
    return { submitted, applied: stats.applied.length, duplicates, lost: lost.length, inversions, timeToEmptyMs: emptyAt - quietAt, faults };
  } finally {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await server.close();
    if (ownBuild) rmSync(staticDir, { recursive: true, force: true });
  }
}
