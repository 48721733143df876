/**
 * Interview prep's timed sessions end to end in Chromium against a real `perflab serve` (real
 * course drills, real SQLite in a temporary data dir): a quick-fire round to its summary, a
 * mock interview to its report, and the history with its trend. Every page state passes axe;
 * the round and the report fit a phone's width.
 *
 * The mock interview's parts last minutes (60 s, 8 min, 6 min). Instead of waiting, time is
 * moved forward on both clocks at once: the server's drill clock (`now`, real time plus an
 * offset the test moves) and the page's (Playwright's clock). The server alone decides when an
 * answer is revealed, so the test asks it directly that the answer is hidden before.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../core/drill-api.js';
import { expectAccessible, HAVE_CHROMIUM, launchChromium, newPage, shot } from './browser-support.js';
import { requireChromiumInCi, serveTemporaryDataDir, type ServedDataDir } from './browser-support.js';

requireChromiumInCi();

let served: ServedDataDir;
let browser: Browser;
/** How far the server's drill clock runs ahead of real time, ms. */
let clockOffsetMs = 0;

beforeAll(async () => {
  served = await serveTemporaryDataDir('perflab-e2e-drills', { now: () => Date.now() + clockOffsetMs });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const url = (path: string) => `${served.server.url}${path}`;

/** The session as the server shows it to this page's learner (same cookies). */
async function sessionOf(page: Page, id: string): Promise<SessionView> {
  return page.evaluate(async (sessionId) => {
    const response = await fetch(`/api/drill-sessions/${encodeURIComponent(sessionId)}`);
    return (await response.json()) as SessionView;
  }, id);
}

const sessionIdOf = (page: Page) => new URL(page.url()).searchParams.get('session') ?? '';

/** No horizontal scrolling at the page's width (a phone's 390 px). */
async function expectNoHorizontalOverflow(page: Page, state: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow of ${state}`).toBeLessThanOrEqual(0);
}

describe.skipIf(!HAVE_CHROMIUM)('interview prep sessions in the browser', () => {
  it('runs a quick-fire round to its summary: reveal by key, by button and by time; grades 1–4', async () => {
    const page = await newPage(browser, 390, 844);
    // A remembered round the server no longer knows (another data dir, say) gives way to a new one.
    await page.goto(url('/drills'));
    await page.evaluate(() => localStorage.setItem('perflab.drills.running.quick-fire', 'gone-round'));
    await page.goto(url('/drills/quick-fire?module=04-tests-and-logs'));
    const setup = page.getByTestId('quick-fire-setup');
    await setup.waitFor();
    await expectAccessible(page, 'the quick-fire setup');
    await page.getByTestId('quick-fire-count').fill('3');
    await page.getByTestId('quick-fire-seconds').selectOption('10');
    await page.getByTestId('start-quick-fire').click();

    // Question 1: its countdown runs; Space reveals; the key 3 grades Good.
    const question = page.getByTestId('part-question');
    await question.waitFor();
    await expect.poll(() => page.getByTestId('countdown').textContent()).toMatch(/0:(10|0\d)/);
    const id = sessionIdOf(page);
    expect(id).not.toBe('');
    expect(await page.getByTestId('session-answer').count()).toBe(0);
    await shot(page, 'quick-fire-question-phone');
    await expectAccessible(page, 'a quick-fire question');
    await expectNoHorizontalOverflow(page, 'a quick-fire question');
    await page.keyboard.press('Space');
    await page.getByTestId('session-answer').waitFor();
    await expectAccessible(page, 'a quick-fire answer');
    await expectNoHorizontalOverflow(page, 'a quick-fire answer');
    await page.keyboard.press('3');

    // A reload comes back to the same round (its id is in the address) at question 2, whose
    // timer kept running on the server. Left alone, its answer comes when the 10 s are up.
    await expect
      .poll(() => page.getByTestId('session-part').locator('h2').textContent())
      .toContain('Question 2');
    await page.reload();
    await expect
      .poll(() => page.getByTestId('session-part').locator('h2').textContent())
      .toContain('Question 2');
    expect(await page.getByTestId('session-answer').count()).toBe(0);
    await page.getByTestId('session-answer').waitFor({ timeout: 15_000 });
    expect(await page.getByText('Time is up.').count()).toBeGreaterThan(0);
    await page.getByTestId('grade-button').and(page.locator('[data-grade="1"]')).click();

    // Question 3: the button reveals, a click grades Easy; then the summary.
    await expect
      .poll(() => page.getByTestId('session-part').locator('h2').textContent())
      .toContain('Question 3');
    await page.getByTestId('reveal-button').click();
    await page.getByTestId('grade-button').and(page.locator('[data-grade="4"]')).click();

    const report = page.getByTestId('session-report');
    await report.waitFor();
    expect(page.url()).toContain(`/drills/sessions/${id}`);
    expect(await report.getAttribute('data-kind')).toBe('quick-fire');
    await page.getByTestId('session-summary').waitFor();
    expect(await page.getByTestId('report-part').count()).toBe(3);
    expect(await page.getByTestId('part-score').allTextContents()).toEqual(['Good', 'Again', 'Easy']);
    // The weakest topic (the one graded Again) comes first, with lessons to reread.
    await page.getByTestId('weakest-topics').waitFor();
    const lessons = page.getByTestId('reread-lessons').locator('a');
    expect(await lessons.count()).toBeGreaterThan(0);
    expect(await lessons.first().getAttribute('href')).toMatch(/^\/lessons\/[\w-]+$/);
    const session = await sessionOf(page, id);
    expect(session.finishedAtMs).not.toBeNull();
    expect(session.items.map((i) => i.grade)).toEqual([3, 1, 4]);
    await shot(page, 'quick-fire-summary-phone');
    await expectAccessible(page, 'the quick-fire summary');
    await expectNoHorizontalOverflow(page, 'the quick-fire summary');
  }, 60_000);

  it('sits a mock interview to its report: answers hidden until each timer ends, scored by the rubric', async () => {
    // The page's clock starts where the server's is and both jump together.
    const page = await newPage(browser);
    await page.clock.install({ time: Date.now() + clockOffsetMs });
    const advance = async (ms: number) => {
      clockOffsetMs += ms;
      await page.clock.fastForward(ms);
    };

    await page.goto(url('/drills/mock'));
    await page.getByTestId('mock-setup').waitFor();
    await expectAccessible(page, 'the mock interview setup');
    await page.getByTestId('mock-include-exercise').check();
    await page.getByTestId('start-mock').click();
    await page.getByTestId('start-part').waitFor();
    const id = sessionIdOf(page);
    const planned = await sessionOf(page, id);
    expect(planned.items.map((i) => i.kind)).toEqual([
      'quick-fire',
      'quick-fire',
      'quick-fire',
      'scenario',
      'code-reading',
      'exercise',
    ]);

    for (const part of planned.items.filter((i) => i.kind !== 'exercise')) {
      await page.getByTestId('start-part').click();
      await page.getByTestId('part-question').waitFor();
      await page.getByTestId('answer-hidden').waitFor();
      if (part.index === 0) {
        await page.getByTestId('part-notes').fill('Name the fixture scope and say why.');
        await expectAccessible(page, 'a running mock part');
        // A reload comes back to the running part, its notes kept.
        await page.reload();
        await expect
          .poll(() => page.getByTestId('part-notes').inputValue())
          .toBe('Name the fixture scope and say why.');
      }
      // Before the timer ends neither the page nor the server has the answer.
      await advance((part.timeLimitSec - 5) * 1000);
      expect(await page.getByTestId('session-answer').count()).toBe(0);
      const hidden = (await sessionOf(page, id)).items[part.index];
      expect(hidden?.startedAtMs).not.toBeNull();
      expect([hidden?.answer, hidden?.keyPoints]).toEqual([null, null]);
      // A code-reading part shows its recorded output from the start: it is what the question asks about.
      if (hidden?.output) {
        await page.getByTestId('drill-output').waitFor();
        await expectAccessible(page, 'a code-reading part with its recorded output');
      }

      await advance(6_000);
      const rubric = page.getByTestId('rubric');
      await rubric.waitFor();
      const points = rubric.getByTestId('rubric-point');
      const count = await points.count();
      expect(count).toBeGreaterThanOrEqual(2); // key points (3–6) plus communication
      if (part.index === 0) {
        await shot(page, 'mock-rubric');
        await expectAccessible(page, 'a mock part scored against its rubric');
      }
      // Full marks on the first part, half marks (1 each) on the others.
      for (let i = 0; i < count; i++)
        await points
          .nth(i)
          .locator(`input[value="${part.index === 0 ? 2 : 1}"]`)
          .check();
      await page.getByTestId('submit-rubric').click();
      await expect
        .poll(async () => (await sessionOf(page, id)).items[part.index]?.rubric?.communication)
        .toBe(part.index === 0 ? 2 : 1);
    }

    // The exercise part: a link to the real workspace; when its time box ends with nothing
    // verified, the server says it was not solved in time and the interview ends.
    const exercise = planned.items.at(-1)!;
    await page.getByTestId('start-part').click();
    expect(await page.getByTestId('open-exercise').getAttribute('href')).toBe(`/exercises/${exercise.refId}`);
    await advance(exercise.timeLimitSec * 1000 + 1_000);
    const report = page.getByTestId('session-report');
    await report.waitFor();
    expect(await report.getAttribute('data-kind')).toBe('mock');
    expect((await sessionOf(page, id)).items.at(-1)?.solvedInTime).toBe(false);

    expect(await page.getByTestId('report-part').count()).toBe(planned.items.length);
    const scores = await page.getByTestId('part-score').allTextContents();
    expect(scores[0]).toMatch(/^(\d+) \/ \1$/);
    const finished = await sessionOf(page, id);
    expect(finished.summary?.weakestTopics.length).toBeGreaterThan(0);
    await shot(page, 'mock-report');
    await expectAccessible(page, 'the mock interview report');

    // The history lists the sessions, with the trend.
    await page.goto(url('/drills/history'));
    await page.getByTestId('history-trend').waitFor();
    // Newest first: this interview, then the quick-fire round of the test before (when it ran).
    const rows = page.getByTestId('history-row');
    expect(await rows.first().locator('a').getAttribute('href')).toBe(`/drills/sessions/${id}`);
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    await shot(page, 'drill-history');
    await expectAccessible(page, 'the history');
    const phone = await newPage(browser, 390, 844, 'dark');
    await phone.goto(url(`/drills/sessions/${encodeURIComponent(id)}`));
    await phone.getByTestId('session-report').waitFor();
    await expectNoHorizontalOverflow(phone, 'the mock report');
    await expectAccessible(phone, 'the mock report on a phone, dark');
    await phone.goto(url('/drills/history'));
    await phone.getByTestId('history-trend').waitFor();
    await expectNoHorizontalOverflow(phone, 'the history');
  }, 60_000);
});
