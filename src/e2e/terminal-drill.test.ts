/**
 * One learner, two front ends, one scheduler: a question reviewed in the terminal
 * (`perflab drill` with PERFLAB_DATA_DIR set to the server's data dir) is no longer due in the
 * browser served by a `perflab serve` that was running the whole time — on the interview-prep
 * page (/drills: the module's "due now" count and the question's state) and in GET /api/drills.
 * Real CLI bundle (dist/), real SQLite shared by two processes, real course, Chromium.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillList } from '../core/drill-api.js';
import { loadCourse, type LoadedDrill } from '../course/load.js';
import { runPerflab, withDataDirStore } from '../cli/cli.test-support.js';
import { createDrillService } from '../drills/service.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { LOCAL_LEARNER_ID } from '../store/index.js';
import * as e2e from './browser-support.js';

const MODULE = '04-tests-and-logs';
const DAY_MS = 86_400_000;

e2e.requireChromiumInCi();

let served: e2e.ServedDataDir;
let browser: Browser;
/** Two questions made due before the page opens; the terminal reviews `first` (the more overdue). */
let first: LoadedDrill;
let second: LoadedDrill;

beforeAll(async () => {
  served = await e2e.serveTemporaryDataDir('perflab-e2e-terminal-drill');
  browser = await e2e.launchChromium();
  const course = await loadCourse(join(PROJECT_ROOT, 'course'));
  // Questions that render as plain text on the page (no Markdown to strip): found by their text.
  const plain = course.drills.filter((d) => d.module === MODULE && /^[^`*_[\]<\n]+$/.test(d.question.trim()));
  [first, second] = plain as [LoadedDrill, LoadedDrill];
  // Graded "good" days ago: their 10-minute learning step has long passed, so both are due now.
  await withDataDirStore(served.dataDir, async (store) => {
    const service = createDrillService({ store, course });
    await service.review(LOCAL_LEARNER_ID, first.id, { grade: 3 }, Date.now() - 3 * DAY_MS);
    await service.review(LOCAL_LEARNER_ID, second.id, { grade: 3 }, Date.now() - 2 * DAY_MS);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function moduleCard(page: Page) {
  return page.locator(`[data-testid="drill-module"][data-module="${MODULE}"]`);
}
const dueNow = (page: Page) =>
  moduleCard(page)
    .locator('[data-testid="drill-counts"] [data-count="due"]')
    .first()
    .getAttribute('data-value');
function stateOf(page: Page, drill: LoadedDrill) {
  return moduleCard(page)
    .getByTestId('drill-state')
    .filter({ hasText: drill.question.trim() })
    .getAttribute('data-status');
}
/** What the browser's own API says, asked from the page (same origin, same learner). */
function apiStatus(page: Page, drillId: string) {
  return page.evaluate(
    async ([module, id]) => {
      const response = await fetch(`/api/drills?module=${module}`);
      const list = (await response.json()) as DrillList;
      return list.drills.find((d) => d.id === id)?.status ?? null;
    },
    [MODULE, drillId] as const,
  );
}

describe.skipIf(!e2e.HAVE_CHROMIUM)('a drill reviewed in the terminal, seen in the browser', () => {
  it('is no longer due on /drills, and the module counts one due question fewer', async () => {
    const page = await e2e.newPage(browser);
    await page.goto(`${served.server.url}/drills`);
    await moduleCard(page).waitFor();
    expect(await dueNow(page)).toBe('2');
    await moduleCard(page).locator('details.drill-states summary').click();
    expect(await stateOf(page, first)).toBe('due');
    expect(await apiStatus(page, first.id)).toBe('due');

    const run = await runPerflab(['drill', '--due', '--module', MODULE], {
      env: { PERFLAB_DATA_DIR: served.dataDir },
      input: 'reveal\n3\nq\n',
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(first.question.trim());
    expect(run.stdout).toMatch(/Reviewed 1 · 1 due now/);

    await page.reload();
    await moduleCard(page).waitFor();
    await expect.poll(() => dueNow(page)).toBe('1');
    await moduleCard(page).locator('details.drill-states summary').click();
    expect(await stateOf(page, first)).not.toBe('due');
    expect(await stateOf(page, second)).toBe('due');
    expect(await apiStatus(page, first.id)).toMatch(/^(learning|known)$/);
    await e2e.shot(page, 'drills-after-terminal-review');
  }, 120_000);
});
