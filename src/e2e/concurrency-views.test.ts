/**
 * The concurrency views end to end in a real browser: Debian's Chromium against a real
 * `perflab serve` (built app from dist/web, real Python in the real sandbox, VizTracer and
 * memray from the pinned venv). The exercise workspace's timeline of blocking-in-async's
 * starter (the panels fetched one after another) and the workbench's memory flame graph of a
 * program that hoards strings; screenshots in test-artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profiler } from '../core/api.js';
import * as e2e from './browser-support.js';
import { expectAccessible, shot } from './browser-support.js';

e2e.requireChromiumInCi();

let browser: Browser;
let served: e2e.ServedDataDir;
const baseUrl = () => served.server.url;

beforeAll(async () => {
  [served, browser] = await Promise.all([
    e2e.serveTemporaryDataDir('perflab-e2e-concurrency'),
    e2e.launchChromium(),
  ]);
}, 60_000);

afterAll(() => Promise.all([browser?.close(), served?.close()]));

/** The workbench with `script` in the editor, profiled with `profiler`; waits for `viewTestId`. */
async function profileInWorkbench(script: string, profiler: Profiler, viewTestId: string): Promise<Page> {
  const page = await e2e.newPage(browser, 1400, 1000);
  await page.goto(`${baseUrl()}/workbench`);
  await page.getByTestId('workbench').waitFor();
  await e2e.replaceEditorText(page, script);
  await page.getByTestId('profiler-select').selectOption(profiler);
  await page.getByTestId('profile-button').click();
  await page.getByTestId(viewTestId).waitFor({ timeout: 120_000 });
  return page;
}

/** Keeps about 20 MB of strings alive in hoard() until the end, so it owns the peak. */
const HOARDER = `def hoard(n):
    kept = []
    for i in range(n):
        kept.append(str(i) * 20)
    return kept


def main():
    data = hoard(150_000)
    print(len(data), sum(len(s) for s in data))


main()
`;

/** Three threads crunching numbers while the main thread waits in join. */
const CRUNCHERS = `from threading import Thread


def crunch(rounds):
    acc = 1
    while rounds:
        acc = (acc * 31 + rounds) % 1_000_003
        rounds -= 1
    return acc


def main():
    team = [Thread(target=crunch, args=(1_200_000,), name="cruncher-%d" % k) for k in range(3)]
    [t.start() for t in team]
    [t.join() for t in team]
    print("done")


main()
`;

describe.skipIf(!e2e.HAVE_CHROMIUM)('concurrency views in Chromium', () => {
  it('draws the timeline of blocking-in-async: a lane per task, the call on hover, the trace download', async () => {
    // Dark theme here (the workbench cases are light): axe checks the state colours in both.
    const page = await e2e.newPage(browser, 1400, 1000, 'dark');
    await page.goto(`${baseUrl()}/exercises/blocking-in-async`);
    await page.getByTestId('exercise').waitFor();
    await page.getByTestId('profiler-select').selectOption('timeline');
    await page.getByTestId('profile-button').click();

    const timeline = page.getByTestId('timeline');
    await timeline.waitFor({ timeout: 120_000 });
    // One lane per fetch_panel task (six panels) besides the main thread.
    const lanes = timeline.getByTestId('timeline-lane');
    expect(await lanes.count()).toBeGreaterThanOrEqual(7);
    const labels = await lanes.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lane-label') ?? ''));
    expect(labels.filter((l) => l.includes('fetch_panel')).length).toBeGreaterThanOrEqual(6);
    expect(await timeline.getByTestId('timeline-span').count()).toBeGreaterThan(6);
    // The summary sentence says how many ran at once: with the blocking call, one panel at a time.
    await expect.poll(() => page.getByTestId('timeline-summary').textContent()).toMatch(/at most 1 was/);

    // Hovering a span of a fetch_panel task names its call; the detail shows the stack too.
    const taskLane = timeline
      .locator('[data-testid="timeline-lane"][data-lane-label*="fetch_panel"]')
      .first();
    const spans = taskLane.locator('[data-testid="timeline-span"]:not([data-state="idle"])');
    const widths = await spans.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    await spans.nth(widths.indexOf(Math.max(...widths))).hover();
    const tooltip = page.getByTestId('timeline-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toMatch(/fetch_panel|blocking_fetch/);
    expect(await page.getByTestId('timeline-detail').textContent()).toContain('fetch_panel');

    // Zoom by dragging across the plot, then reset.
    const chart = page.getByTestId('timeline-chart');
    const box = await chart.boundingBox();
    if (!box) throw new Error('the timeline chart has no box');
    await page.mouse.move(box.x + 260, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + 500, box.y + 80, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => timeline.textContent()).toMatch(/Showing .* to .* of /);
    await shot(page, 'exercise-timeline');
    await expectAccessible(page, 'the exercise workspace with a timeline');
    await page.getByRole('button', { name: 'Reset zoom' }).click();

    // The keyboard reaches every span: focus the chart, arrows move, the detail follows.
    await chart.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('timeline-detail').textContent()).toMatch(/ for .* from /);

    const download = page.getByTestId('trace-download');
    const status = await download.evaluate(async (a) => {
      const response = await fetch((a as HTMLAnchorElement).href);
      const body = (await response.json()) as { traceEvents?: unknown[] } | unknown[];
      return {
        status: response.status,
        events: Array.isArray(body) ? body.length : (body.traceEvents?.length ?? 0),
      };
    });
    expect(status.status).toBe(200);
    expect(status.events).toBeGreaterThan(0);

    // The choice is remembered for this page.
    await page.reload();
    await page.getByTestId('exercise').waitFor();
    expect(await page.getByTestId('profiler-select').inputValue()).toBe('timeline');
  }, 180_000);

  it("samples every thread with py-spy: the hot function in the worker threads, a thread's flame graph", async () => {
    const page = await profileInWorkbench(CRUNCHERS, 'sample', 'sampled-profile');
    const headline = (await page.getByTestId('sampled-headline').textContent()) ?? '';
    expect(headline).toContain('crunch');
    expect(headline).toMatch(/cruncher-\d/);
    expect(await page.getByTestId('sampled-rate').textContent()).toMatch(/py-spy [\d.]+, 100 samples\/s/);
    const threads = await page
      .getByTestId('sampled-thread')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-thread') ?? ''));
    expect(threads.filter((t) => t.startsWith('cruncher-')).length).toBe(3);
    expect(threads).toContain('MainThread');
    // Choosing the main thread shows where it waited: in join, not in crunch.
    await page.locator('[data-testid="sampled-thread"][data-thread="MainThread"]').click();
    const detail = page.getByTestId('sampled-thread-detail');
    await expect.poll(() => detail.getByTestId('sampled-functions').textContent()).toContain('join');
    await shot(page, 'workbench-sampled');
    await expectAccessible(page, 'the workbench with a sampled profile');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByTestId('timeline-chart').waitFor();
  }, 180_000);

  it('draws the memory flame graph of the peak with memray, and its capture downloads', async () => {
    const page = await profileInWorkbench(HOARDER, 'memray', 'memray-view');
    const view = page.getByTestId('memray-view');
    await expect.poll(() => page.getByTestId('memray-headline').textContent()).toContain('hoard');
    const frame = view.locator('[data-testid="flame-frame"][data-name="hoard"]');
    await frame.first().waitFor();
    expect(await frame.first().getAttribute('aria-label')).toMatch(/MiB|KiB/);
    await shot(page, 'workbench-memray');
    await expectAccessible(page, 'the workbench with a memray flame graph');

    const link = page.getByTestId('download-memray.bin');
    const fetched = await link.evaluate(async (a) => {
      const response = await fetch((a as HTMLAnchorElement).href);
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    });
    expect(fetched.status).toBe(200);
    expect(fetched.bytes).toBeGreaterThan(0);
  }, 180_000);
});
