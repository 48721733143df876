/**
 * What the browser tests and the web bench (npm run bench, plain node: no vitest here) share: Debian's Chromium through playwright-core,
 * a real `perflab serve` on a free port over a temporary data dir, pages, screenshots, the
 * axe-core accessibility check and typing into the editor as a person would.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { startServer, type RunningServer, type ServeOptions } from '../server/serve.js';

export const CHROMIUM = process.env.PERFLAB_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = join(PROJECT_ROOT, 'test-artifacts', 'screenshots');
const AXE = join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** In CI a missing Chromium fails the suite; elsewhere the browser tests are skipped. */
export function requireChromiumInCi(): void {
  if (!HAVE_CHROMIUM && process.env.CI)
    throw new Error(
      `Chromium is required for the browser tests in CI: ${CHROMIUM} is missing (apt-get install chromium)`,
    );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Running as root (CI containers) needs Chromium's own sandbox off; the pages are ours.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface ServedDataDir {
  server: RunningServer;
  dataDir: string;
  /** Stops the server and removes the data dir. */
  close(): Promise<void>;
}

/** A real `perflab serve` (loopback, free port) over a fresh temporary data dir. */
export async function serveTemporaryDataDir(
  prefix: string,
  options: Partial<ServeOptions> = {},
): Promise<ServedDataDir> {
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', ...options });
  return {
    server,
    dataDir,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(
  browser: Browser,
  width = 1280,
  height = 900,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/**
 * The JavaScript a fresh page downloads for `url` until `readyTestId` shows, gzipped at level 9
 * (what a compressing server or CDN sends): the web bench's page budgets and the review page's
 * budget in the browser tests.
 */
export async function pageJavaScriptKb(
  page: Page,
  url: string,
  readyTestId: string,
): Promise<{ gzipKb: number; files: number }> {
  const scripts: Promise<Buffer>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.body());
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.getByTestId(readyTestId).first().waitFor();
  const bodies = await Promise.all(scripts);
  const gzipBytes = bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
  return { gzipKb: gzipBytes / 1024, files: bodies.length };
}

/** A full-page screenshot in test-artifacts/screenshots (git-ignored). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * The page as it stands passes axe-core's WCAG 2.1 A and AA rules: contrast of every text,
 * labelled controls, valid ARIA, keyboard-reachable scrolling regions. Throws naming each
 * violation otherwise.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  // Evaluated, not added as a <script>: the app's CSP (script-src 'self') blocks inline scripts,
  // and DevTools evaluation is not subject to it.
  await page.evaluate(`${readFileSync(AXE, 'utf8')}\n;void 0`);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe;
    type AxeResults = {
      violations: {
        id: string;
        impact: string;
        help: string;
        nodes: { target: string[]; failureSummary?: string }[];
      }[];
    };
    const results = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return results.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 3)
          .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
          .join('\n'),
    );
  });
  if (violations.length > 0)
    throw new Error(`accessibility of ${state}: ${violations.length} violations\n${violations.join('\n')}`);
}

/** Replaces the whole text of the CodeMirror editor, as a person would: select all, type. */
export async function replaceEditorText(page: Page, text: string): Promise<void> {
  const content = page.getByTestId('editor').locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}
