/**
 * The review page's budgets, for the web bench (web-bench.ts): the JavaScript the review
 * route downloads (≤ 120 KB gzipped: the entry and the route's chunks, up to the first
 * question on screen), and grading a question to the next one on screen (≤ 50 ms), timed by
 * the page's own clock from the key event to the frame after the next question is in the DOM.
 */
import type { Browser, Page } from 'playwright-core';
import { quantile } from '../core/stats.js';

/** Gradings per page load: a fresh data dir's queue holds 10 new questions (newLimit's default). */
const GRADES_PER_LOAD = 9;
const LOADS = 3;

export interface BudgetRow {
  name: string;
  measured: string;
  target: string;
  met: boolean;
}

/** Measures the gzipped JavaScript a fresh page loads for `url`, until `readyTestId` shows. */
export type JavaScriptMeter = (
  page: Page,
  url: string,
  readyTestId: string,
) => Promise<{ gzipKb: number; files: number }>;

/**
 * One grading: Space shows the answer; then "3" (Good) is pressed, and the time runs from
 * that key event's timeStamp to a task queued from the first animation frame after the card
 * changed (that task runs once the frame is painted).
 */
async function gradeToNextCardMs(page: Page): Promise<number> {
  await page.keyboard.press('Space');
  await page.getByTestId('review-answer').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __gradedAt?: number; __shownAt?: number };
    delete w.__gradedAt;
    delete w.__shownAt;
    const card = () => document.querySelector('[data-testid="review-card"]')?.getAttribute('data-drill-id');
    const before = card();
    window.addEventListener('keydown', (event) => (w.__gradedAt = event.timeStamp), {
      capture: true,
      once: true,
    });
    const observer = new MutationObserver(() => {
      if (card() === before) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (w.__shownAt = performance.now())));
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  await page.keyboard.press('3');
  await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt !== undefined);
  return page.evaluate(() => {
    const w = window as unknown as { __gradedAt: number; __shownAt: number };
    return w.__shownAt - w.__gradedAt;
  });
}

export async function drillReviewRows(
  browser: Browser,
  serverUrl: string,
  javaScriptKb: JavaScriptMeter,
): Promise<BudgetRow[]> {
  const fresh = await browser.newPage();
  const js = await javaScriptKb(fresh, `${serverUrl}/drills/review`, 'review-card');
  await fresh.close();

  const page = await browser.newPage();
  const samplesMs: number[] = [];
  for (let load = 0; load < LOADS; load++) {
    // Each load's queue is new questions the previous loads did not grade (Good: not due yet).
    await page.goto(`${serverUrl}/drills/review`);
    await page.getByTestId('review-card').waitFor();
    for (let i = 0; i < GRADES_PER_LOAD; i++) samplesMs.push(await gradeToNextCardMs(page));
  }
  await page.close();
  const p90 = quantile(samplesMs, 0.9);
  return [
    {
      name: 'JavaScript downloaded by the review page (/drills/review) up to the first question, gzipped',
      measured: `${js.gzipKb.toFixed(0)} KB in ${js.files} files`,
      target: '≤ 120 KB',
      met: js.gzipKb <= 120,
    },
    {
      name: `review: grading a question (key 3) to the next question painted, ${samplesMs.length} gradings`,
      measured: `p90 ${p90.toFixed(1)} ms (median ${quantile(samplesMs, 0.5).toFixed(1)}, max ${Math.max(...samplesMs).toFixed(1)})`,
      target: '≤ 50 ms',
      met: p90 <= 50,
    },
  ];
}
