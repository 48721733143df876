/**
 * One learner, two front ends: an exercise solved in the terminal (`perflab start`, the fix,
 * `perflab verify`, all with PERFLAB_DATA_DIR set to the server's data dir) shows as solved in
 * the browser served by a `perflab serve` that was running the whole time, with the terminal's
 * code in the editor and its verification in the history. Real CLI bundle (dist/), real SQLite
 * shared by two processes, real sandbox, Chromium.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPerflab, scratchDir } from '../cli/cli.test-support.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import {
  HAVE_CHROMIUM,
  launchChromium,
  newPage,
  requireChromiumInCi,
  serveTemporaryDataDir,
  shot,
  type ServedDataDir,
} from './browser-support.js';

/** One check (thread switches over hidden inputs), no speed measurement: quick under load too. */
const EXERCISE = 'racy-counter';
const SOLUTION = join(PROJECT_ROOT, 'course', 'exercises', EXERCISE, 'solution', 'tally.py');

requireChromiumInCi();

let served: ServedDataDir;
let browser: Browser;
const work = scratchDir('perflab-e2e-terminal-work');

beforeAll(async () => {
  served = await serveTemporaryDataDir('perflab-e2e-terminal');
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function exerciseItem(page: Page) {
  return page.getByTestId('exercise-item').filter({ has: page.locator(`a[href="/exercises/${EXERCISE}"]`) });
}

describe.skipIf(!HAVE_CHROMIUM)('a solve in the terminal, seen in the browser', () => {
  it('shows the exercise solved, with the terminal code and its verification in the history', async () => {
    const terminal = (cwd: string, ...args: string[]) =>
      runPerflab(args, { cwd, env: { PERFLAB_DATA_DIR: served.dataDir }, timeoutMs: 300_000 });
    const page = await newPage(browser);
    // The server has read (and cached) the progress before the terminal writes it.
    await page.goto(served.server.url);
    await expect.poll(() => exerciseItem(page).count()).toBe(1);
    expect(await exerciseItem(page).textContent()).not.toMatch(/solved/i);

    const started = await terminal(work, 'start', EXERCISE, 'racy');
    expect(started.code, started.stderr).toBe(0);
    const dir = join(work, 'racy');
    copyFileSync(SOLUTION, join(dir, 'tally.py'));
    const verified = await terminal(dir, 'verify');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    await page.reload();
    await expect.poll(() => exerciseItem(page).textContent()).toMatch(/solved/i);
    await shot(page, 'course-home-solved-in-terminal');

    await page.goto(`${served.server.url}/exercises/${EXERCISE}`);
    const editor = page.getByTestId('editor').locator('.cm-content');
    await editor.waitFor();
    const fix = readFileSync(SOLUTION, 'utf8')
      .split('\n')
      .find((line) => line.includes('Lock'));
    expect(fix, 'the solution takes a lock').toBeDefined();
    await expect.poll(() => editor.textContent()).toContain(fix!.trim());
    const history = page.getByTestId('history-item');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.first().textContent()).toMatch(/^Verify\s*passed/);
    await history.first().click();
    const report = page.getByTestId('verify-report');
    await report.waitFor();
    expect(await report.getAttribute('data-passed')).toBe('true');
    await shot(page, 'exercise-solved-in-terminal');
  }, 400_000);
});
