/**
 * The web app's budgets (`npm run bench`, after the foundation figures):
 *  - JavaScript a lesson page downloads, gzipped, measured in Chromium (≤ 250 KB);
 *  - API p99 latency of lesson and progress reads with 200 concurrent connections on
 *    loopback, with wrk (≤ 20 ms);
 *  - the review page's JavaScript (≤ 120 KB) and grading to the next question (≤ 50 ms),
 *    in ./drill-review-bench.ts;
 *  - a hello-world Run from click to first output in the browser, against a bare interpreter
 *    start measured interleaved in the same run (≤ 1.5×).
 * Writes the "Web app" section of docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { median } from '../core/stats.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { drillReviewRows } from './drill-review-bench.js';
import {
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  pageJavaScriptKb,
  replaceEditorText,
  serveTemporaryDataDir,
} from '../e2e/browser-support.js';
const HELLO_PAIRS = 15;

interface Row {
  name: string;
  measured: string;
  target: string;
  met: boolean;
}

/** Milliseconds from spawn to the first byte on stdout. */
function firstOutputMs(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen: number | null = null;
    child.stdout.once('data', () => {
      seen = performance.now() - started;
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', () =>
      seen === null ? reject(new Error(`${command} printed nothing`)) : resolve(seen),
    );
  });
}

/** The header Chromium sends with the app's fetches: the server answers as it answers a browser. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** wrk's summary as one JSON line (latency in microseconds), written by its `done` hook. */
const WRK_REPORT_LUA = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"p99Us":%d,"requests":%d,"errors":%d}\\n', latency:percentile(99),
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status))
end
`;

/**
 * Load from a second process with wrk (C, epoll): a client written in JavaScript saturates its
 * own core on this 2-CPU machine before the server does (autocannon reported p99 21–34 ms while
 * the server sat 38 % idle), so its figure measured the client. One wrk thread, 200 connections.
 */
async function p99Ms(
  url: string,
  seconds: number,
  connections = 200,
): Promise<{ p99: number; requests: number; errors: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'perflab-wrk-'));
  const script = join(dir, 'report.lua');
  writeFileSync(script, WRK_REPORT_LUA);
  try {
    const args = ['--threads', '1', '--connections', String(connections), '--duration', `${seconds}s`];
    args.push('--script', script);
    args.push('--header', `accept-encoding: ${BROWSER_ACCEPT_ENCODING}`, url);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', (error) =>
        reject(
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? new Error('wrk not found; install it (apt-get install wrk; npm install does it as root)')
            : error,
        ),
      );
      child.on('close', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`wrk exited with ${code}: ${stderr.trim()}`)),
      );
    });
    const line = out.split('\n').find((l) => l.startsWith('{"p99Us"'));
    if (line === undefined) throw new Error(`wrk printed no report:\n${out}`);
    const report = JSON.parse(line) as { p99Us: number; requests: number; errors: number };
    return { p99: report.p99Us / 1000, requests: report.requests, errors: report.errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Click to first output, both ends timed by the page's own clock: a capture-phase click
 * listener, and a MutationObserver that fires when the text reaches the console (polling from
 * outside would add up to a frame of delay to every sample).
 */
async function clickToFirstOutputMs(page: Page): Promise<number> {
  await page.getByTestId('console').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __clickedAt?: number; __seenAt?: number };
    delete w.__clickedAt;
    delete w.__seenAt;
    const button = document.querySelector('[data-testid="run-button"]');
    button?.addEventListener('click', () => (w.__clickedAt = performance.now()), {
      capture: true,
      once: true,
    });
    let cleared = false;
    const observer = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="console"]')?.textContent ?? '';
      // The console still shows the previous run until the new one starts: wait for it to clear.
      if (w.__clickedAt !== undefined && !text.includes('hello from perflab')) cleared = true;
      if (cleared && text.includes('hello from perflab')) {
        w.__seenAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await page.getByTestId('run-button').click();
  await page.waitForFunction(
    () => (window as unknown as { __seenAt?: number }).__seenAt !== undefined,
    undefined,
    {
      timeout: 30_000,
    },
  );
  const elapsed = await page.evaluate(() => {
    const w = window as unknown as { __clickedAt: number; __seenAt: number };
    return w.__seenAt - w.__clickedAt;
  });
  await page.getByTestId('job-result').waitFor();
  return elapsed;
}

async function main(): Promise<void> {
  if (!HAVE_CHROMIUM)
    throw new Error(`Chromium not found at ${CHROMIUM}; install it (apt-get install chromium)`);
  // Request logging off: the figure is the server's latency, not a terminal's.
  const served = await serveTemporaryDataDir('perflab-web-bench', { logLevel: 'warn' });
  const { server } = served;
  const browser = await launchChromium();
  const rows: Row[] = [];
  try {
    const index = (await (await fetch(`${server.url}/api/course`)).json()) as {
      modules: { lessons: { id: string }[] }[];
    };
    const lessonId = index.modules[0]?.lessons[0]?.id as string;

    const page = await browser.newPage();
    const js = await pageJavaScriptKb(page, `${server.url}/lessons/${lessonId}`, 'run-block');
    rows.push({
      name: `JavaScript downloaded by a lesson page (/lessons/${lessonId}), gzipped`,
      measured: `${js.gzipKb.toFixed(0)} KB in ${js.files} files`,
      target: '≤ 250 KB',
      met: js.gzipKb <= 250,
    });

    for (const [label, path] of [
      ['lesson', `/api/lessons/${lessonId}`],
      ['progress', '/api/progress'],
    ] as const) {
      // Warm-up. A fresh server's first 200-connection burst has a p99 of 0.2–0.7 s: 200
      // requests queue behind code V8 has not compiled yet. After 2 s on one connection the
      // same burst shows no tail, so the JIT is warmed first, then the connections and caches.
      await p99Ms(`${server.url}${path}`, 2, 1);
      await p99Ms(`${server.url}${path}`, 5);
      const measured = await p99Ms(`${server.url}${path}`, 8);
      rows.push({
        name: `API p99, GET ${label} (${path}), 200 concurrent connections, 8 s, accept-encoding as Chromium sends it`,
        measured: `${measured.p99.toFixed(1)} ms (${measured.requests} requests, ${measured.errors} errors)`,
        target: '≤ 20 ms',
        met: measured.p99 <= 20 && measured.errors === 0,
      });
    }

    rows.push(...(await drillReviewRows(browser, server.url, pageJavaScriptKb)));

    const python = join(PROJECT_ROOT, '.venv', 'bin', 'python');
    const workbench = await browser.newPage();
    await workbench.goto(`${server.url}/workbench`);
    await replaceEditorText(workbench, 'print("hello from perflab")\n');
    await clickToFirstOutputMs(workbench); // warm-up: the pool, the page's lazy chunks
    await firstOutputMs(python, ['-c', 'print("hello from perflab")']);
    const browserMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < HELLO_PAIRS; i++) {
      bareMs.push(await firstOutputMs(python, ['-c', 'print("hello from perflab")']));
      // Let the warm pool refill, as it would between a person's clicks.
      await new Promise((r) => setTimeout(r, 400));
      browserMs.push(await clickToFirstOutputMs(workbench));
    }
    const ratio = median(browserMs) / median(bareMs);
    rows.push({
      name: 'hello-world Run, click to first output in the browser ÷ bare `python -c` start to first output (medians of 15, interleaved)',
      measured: `${ratio.toFixed(2)}× (browser ${median(browserMs).toFixed(0)} ms, bare ${median(bareMs).toFixed(0)} ms)`,
      target: '≤ 1.5×',
      met: ratio <= 1.5,
    });
  } finally {
    await browser.close();
    await served.close();
  }

  const date = new Date().toISOString().slice(0, 10);
  const section = [
    '## Web app (`npm run bench`)',
    '',
    `Measured ${date} on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Node ${process.version}; server, load generator and browser on the same machine, over loopback.`,
    '',
    '| budget | measured | target | met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.measured} | ${r.target} | ${r.met ? 'yes' : 'no'} |`),
    '',
  ].join('\n');
  console.log(section);
  const docPath = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
  const existing = readFileSync(docPath, 'utf8');
  const marker = /## Web app \(`npm run bench`\)[\s\S]*?(?=\n## |$)/;
  writeFileSync(
    docPath,
    marker.test(existing) ? existing.replace(marker, section) : `${existing.trimEnd()}\n\n${section}`,
  );
}

await main();
