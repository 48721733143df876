/**
 * End to end in a real browser: Debian's Chromium driven by playwright-core against a real
 * `perflab serve` (real course, real SQLite in a temporary data dir, real Python in the real
 * sandbox). Screenshots of the main pages go to test-artifacts/screenshots (git-ignored).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import type { RunningServer } from '../server/serve.js';
import {
  expectAccessible,
  HAVE_CHROMIUM,
  launchChromium,
  newPage as newPageOf,
  replaceEditorText,
  requireChromiumInCi,
  serveTemporaryDataDir,
  shot,
  type ServedDataDir,
} from './browser-support.js';

const SOLUTION = readFileSync(
  join(PROJECT_ROOT, 'course/exercises/word-frequency/solution/words.py'),
  'utf8',
);

requireChromiumInCi();

let served: ServedDataDir;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  served = await serveTemporaryDataDir('perflab-e2e');
  server = served.server;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const newPage = (width?: number, height?: number, colorScheme?: 'light' | 'dark') =>
  newPageOf(browser, width, height, colorScheme);

/**
 * Clicks Verify and waits for the report; returns its data-passed. A failed report is verified
 * once more, as a learner would, so that a moment of load on a shared 2-CPU machine during a
 * speed check is told apart from a fix the grader rejects (which fails twice).
 */
async function verifiedInPage(page: Page): Promise<string | null> {
  const results = page.getByTestId('results');
  let passed: string | null = null;
  for (let attempt = 1; attempt <= 2 && passed !== 'true'; attempt++) {
    const previousJob = (await results.count()) > 0 ? await results.getAttribute('data-job-id') : null;
    await page.getByTestId('verify-button').click();
    // The results section shows a job once it has ended (a verification under load can take
    // a minute: speed and growth checks measure more rounds when the timings are noisy).
    const currentJob = async () =>
      (await results.count()) > 0 ? await results.getAttribute('data-job-id') : null;
    try {
      await expect.poll(async () => (await currentJob()) !== previousJob, { timeout: 180_000 }).toBe(true);
    } catch (error) {
      await shot(page, 'verify-did-not-end');
      const state = await page.evaluate(() => ({
        url: location.href,
        verifyDisabled: (document.querySelector('[data-testid="verify-button"]') as HTMLButtonElement | null)
          ?.disabled,
        alert: document.querySelector('[role="alert"]')?.textContent ?? null,
        console: document.querySelector('[data-testid="console"]')?.textContent?.slice(0, 300) ?? null,
      }));
      throw new Error(`no verification ended within 3 minutes of the click: ${JSON.stringify(state)}`, {
        cause: error,
      });
    }
    const report = results.getByTestId('verify-report');
    await report.waitFor();
    passed = await report.getAttribute('data-passed');
    if (passed !== 'true')
      console.warn(`verify attempt ${attempt} did not pass:\n${await report.innerText()}`);
  }
  return passed;
}

describe.skipIf(!HAVE_CHROMIUM)('the web app in Chromium', () => {
  it('shows the course home with modules, lessons and exercises', async () => {
    const page = await newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('module').count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByTestId('lesson-item').count()).toBeGreaterThanOrEqual(18);
    expect(await page.getByTestId('exercise-item').count()).toBeGreaterThanOrEqual(17);
    await shot(page, 'course-home');
    await expectAccessible(page, 'the course home');
    const phone = await newPage(390, 844);
    await phone.goto(server.url);
    await phone.getByTestId('module').first().waitFor();
    await shot(phone, 'course-home-phone');
    await phone.getByTestId('theme-toggle').click();
    await shot(phone, 'course-home-phone-dark');
    await expectAccessible(phone, 'the course home on a phone, dark');
  });

  it('works an exercise end to end: run, profile, edit, verify, reload', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/exercises/word-frequency`);
    await page.getByTestId('editor').locator('.cm-content').waitFor();

    // Run: the program's output streams into the console.
    await page.getByTestId('run-button').click();
    const console = page.getByTestId('console');
    await expect.poll(() => console.textContent(), { timeout: 30_000 }).toMatch(/most common|words/i);
    await page.getByTestId('job-result').waitFor();
    await shot(page, 'exercise-run');
    await expectAccessible(page, 'an exercise after a run');

    // Profile: the hot function is in the table and in the flame graph.
    await page.getByTestId('profile-button').click();
    const table = page.getByTestId('profile-table');
    await table.waitFor({ timeout: 60_000 });
    await expect.poll(() => table.textContent()).toContain('word_frequencies');
    await page.getByRole('tab', { name: /flame/i }).click();
    const frame = page
      .getByTestId('flame-frame')
      .filter({ has: page.locator('[data-name="word_frequencies"]') });
    const frameByAttr = page.locator('[data-testid="flame-frame"][data-name="word_frequencies"]');
    await expect.poll(async () => (await frameByAttr.count()) + (await frame.count())).toBeGreaterThan(0);
    // Line heat: the hot function's lines are marked in the editor's gutter.
    await page.getByTestId('editor').locator('.cm-heat-marker').first().waitFor();
    await shot(page, 'exercise-profile');
    await expectAccessible(page, 'an exercise with its profile, flame graph and line heat');

    // Edit to the one-pass version; verify; every check passes.
    await replaceEditorText(page, SOLUTION);
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 })
      .toMatch(/saved/i);
    await page.getByTestId('verify-button').click();
    const report = page.getByTestId('verify-report');
    await report.waitFor({ timeout: 90_000 });
    const checks = report.getByTestId('verify-check');
    await expect.poll(() => checks.count()).toBe(3);
    for (const passed of await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-passed'))))
      expect(passed).toBe('true');
    await shot(page, 'exercise-verified');
    await expectAccessible(page, 'a passed verification report');

    // Reload: the code and the progress are kept.
    await page.reload();
    await page.getByTestId('editor').locator('.cm-content').waitFor();
    await expect
      .poll(() => page.getByTestId('editor').locator('.cm-content').textContent())
      .toContain('Counter');

    // Restore: the first run's code (the starter) comes back from the history into the editor.
    const firstRun = page.getByTestId('history-item').last();
    await expect.poll(() => firstRun.textContent()).toMatch(/^Run/);
    await firstRun.click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('restore-button').click();
    const editorText = () => page.getByTestId('editor').locator('.cm-content').innerText();
    await expect.poll(editorText).toContain('def word_frequencies');
    expect(await editorText()).not.toContain('Counter');
    await page.reload();
    await page.getByTestId('editor').locator('.cm-content').waitFor();
    await expect.poll(editorText).toContain('def word_frequencies');
    expect(await editorText()).not.toContain('Counter');

    await page.goto(server.url);
    const item = page.getByTestId('exercise-item').filter({ hasText: /word counts/i });
    await expect.poll(() => item.textContent()).toMatch(/solved/i);
    // A real verification inside: 40 s on a quiet 2-CPU machine, more when it is shared.
  }, 180_000);

  it('solves every exercise of the course in the browser: open, type the fix, verify, see it solved', async () => {
    const index = (await (await fetch(`${server.url}/api/course`)).json()) as {
      modules: { exercises: { id: string }[] }[];
    };
    const ids = index.modules.flatMap((m) => m.exercises.map((e) => e.id));
    expect(ids.length).toBeGreaterThanOrEqual(17);
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    for (const id of ids) {
      await page.goto(`${server.url}/exercises/${id}`);
      await page.getByTestId('editor').locator('.cm-content').waitFor();
      const view = (await (await fetch(`${server.url}/api/exercises/${id}`)).json()) as {
        files: { path: string; editable: boolean }[];
      };
      expect(await page.getByTestId('file-tab').count(), id).toBe(view.files.length);
      expect((await page.getByTestId('prompt').textContent())?.length ?? 0, id).toBeGreaterThan(100);
      for (const button of ['run-button', 'profile-button', 'verify-button'])
        expect(await page.getByTestId(button).isEnabled(), `${id}: ${button}`).toBe(true);

      // The learner's fix is the reference solution, typed into each file it changes.
      const solutionDir = join(PROJECT_ROOT, 'course', 'exercises', id, 'solution');
      for (const path of readdirSync(solutionDir)) {
        expect(view.files.find((f) => f.path === path)?.editable, `${id}: ${path} is editable`).toBe(true);
        await page.locator(`[data-testid="file-tab"][data-path="${path}"]`).click();
        await replaceEditorText(page, readFileSync(join(solutionDir, path), 'utf8'));
      }
      expect(await verifiedInPage(page), id).toBe('true');
    }
    await shot(page, 'exercise-last-verified');
    await page.goto(server.url);
    const items = page.getByTestId('exercise-item');
    await expect.poll(() => items.count()).toBe(ids.length);
    for (const text of await items.allTextContents()) expect(text).toMatch(/solved/i);
    expect(errors).toEqual([]);
  }, 900_000);

  it('runs a lesson example and shows its output against the expected output', async () => {
    const page = await newPage();
    const lesson = (await (await fetch(`${server.url}/api/course`)).json()) as {
      modules: { lessons: { id: string }[] }[];
    };
    const first = lesson.modules[0]?.lessons[0]?.id as string;
    await page.goto(`${server.url}/lessons/${first}`);
    const block = page.getByTestId('run-block').first();
    await block.waitFor();
    await shot(page, 'lesson');
    await block.getByRole('button', { name: /run/i }).click();
    await expect
      .poll(() => block.getByTestId('block-verdict').textContent(), { timeout: 30_000 })
      .toMatch(/match|ok|as expected/i);
    expect(await block.getByTestId('block-output').textContent()).toMatch(/\S/);
    await shot(page, 'lesson-ran');
    await expectAccessible(page, 'a lesson with a finished example');
  });

  it('follows a running job from a second tab and after a reload, and cancels it', async () => {
    const first = await newPage();
    await first.goto(`${server.url}/workbench`);
    await first.getByTestId('workbench').waitFor();
    await replaceEditorText(
      first,
      'import time\nprint("started", flush=True)\ntime.sleep(25)\nprint("too late", flush=True)\n',
    );
    await first.getByTestId('run-button').click();
    const consoleOf = (page: Page) => page.getByTestId('console');
    await expect.poll(() => consoleOf(first).textContent(), { timeout: 20_000 }).toContain('started');

    // A second tab of the same browser finds the running job and replays its output.
    const second = await first.context().newPage();
    await second.goto(`${server.url}/workbench`);
    await expect.poll(() => consoleOf(second).textContent(), { timeout: 20_000 }).toContain('started');
    expect(await consoleOf(second).textContent()).toMatch(/Running/);

    // A reload re-attaches too.
    await first.reload();
    await expect.poll(() => consoleOf(first).textContent(), { timeout: 20_000 }).toContain('started');
    expect(await consoleOf(first).textContent()).toMatch(/Running/);

    // Cancel from the second tab: both tabs see the job end as cancelled, well before the sleep ends.
    await second.getByTestId('cancel-button').click();
    for (const page of [first, second])
      await expect.poll(() => consoleOf(page).textContent(), { timeout: 15_000 }).toMatch(/Cancelled after/);
    expect(await consoleOf(first).textContent()).not.toContain('too late');
    await shot(second, 'workbench-cancelled');
  });

  it('runs and profiles a pasted script in the workbench, streaming its output (dark theme)', async () => {
    const page = await newPage(1280, 900, 'dark');
    await page.goto(`${server.url}/workbench`);
    await page.getByTestId('workbench').waitFor();
    await replaceEditorText(
      page,
      'import time\nprint("first", flush=True)\ntime.sleep(1.5)\nprint("second", flush=True)\n',
    );
    // From the keyboard, with the focus still in the editor: Ctrl+Enter runs.
    await page.keyboard.press('Control+Enter');
    const console = page.getByTestId('console');
    // "first" arrives while the job is still running: output streams, it is not delivered at the end.
    await expect.poll(() => console.textContent(), { timeout: 20_000 }).toContain('first');
    expect(await console.textContent()).not.toContain('second');
    await expect.poll(() => console.textContent(), { timeout: 20_000 }).toContain('second');
    await replaceEditorText(
      page,
      'def slow_sum(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n\n' +
        'def squares(n):\n    return [str(i) for i in range(n)]\n\n' +
        'print(slow_sum(300_000), len(squares(200_000)))\n',
    );
    await page.getByTestId('profile-button').click();
    const table = page.getByTestId('profile-table');
    await table.waitFor({ timeout: 60_000 });
    await expect.poll(() => table.textContent()).toContain('slow_sum');
    await page.getByTestId('editor').locator('.cm-heat-marker').first().waitFor();
    await shot(page, 'workbench-profile');
    await expectAccessible(page, 'the workbench with a profile and line heat, dark');

    // Memory: the list of 200,000 strings (~13 MiB at its fullest, freed before exit) is the
    // top site at the peak, with its source line.
    await page.getByRole('tab', { name: /memory/i }).click();
    const peakSites = page.getByTestId('memory-sites');
    await expect.poll(() => peakSites.locator('tbody tr').first().textContent()).toContain('main.py:8');
    const topSiteText = (await peakSites.locator('tbody tr').first().textContent()) ?? '';
    expect(topSiteText).toContain('return [str(i) for i in range(n)]');
    expect(topSiteText).toMatch(/\d+(\.\d)? MiB/);
    await shot(page, 'workbench-memory');
    await expectAccessible(page, 'the workbench memory view, dark');

    // Compare two functions with timeit: the chart names the fastest, with the others' ratios.
    await replaceEditorText(
      page,
      'def by_loop():\n    total = 0\n    for i in range(20_000):\n        total += i\n    return total\n\n' +
        'def by_formula():\n    n = 20_000\n    return n * (n - 1) // 2\n',
    );
    await page.getByTestId('timeit-candidates').fill('by_loop\nby_formula');
    await page.getByTestId('timeit-button').click();
    const chart = page.getByTestId('timeit-chart');
    await chart.waitFor({ timeout: 60_000 });
    await expect.poll(() => chart.locator('figcaption').textContent()).toMatch(/by_formula is fastest/);
    expect(await chart.locator('canvas').getAttribute('aria-label')).toMatch(
      /by_loop takes [\d.,]+× as long/,
    );
    await shot(page, 'workbench-timeit');
    await expectAccessible(page, 'the workbench with a timeit comparison, dark');
  });
});
