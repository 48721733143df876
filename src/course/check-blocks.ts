/**
 * Runs a lesson's blocks in the sandbox: `python run` blocks must print their expected
 * output (and fail or hang when marked so); `python compare` claims must hold; so must the
 * claims of `python profile=…` blocks, decided on the profiler's views (profile-claims.ts).
 */
import { matchOutput, type CompareBlock, type LessonBlock, type ProfileBlock, type RunBlock } from '../core/course.js';
import { median } from '../core/stats.js';
import { runConcurrencyProfile } from '../runner/concurrency-profile.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';
import { decideClaim, type ClaimVerdict, type ClaimViews } from './profile-claims.js';

export interface BlockResult {
  line: number;
  kind: LessonBlock['kind'];
  ok: boolean;
  /** What happened, for the author: the first mismatching line, or the measured ratio. */
  detail: string;
  /** Program output (run blocks), for `perflab show`. */
  output?: string;
  /** The sandbox run behind the verdict, for views that show more than the verdict. */
  report: AnyJobReport;
}

function blockFiles(block: RunBlock | ProfileBlock) {
  return [{ path: 'main.py', content: block.code }, ...Object.entries(block.files).map(([path, content]) => ({ path, content }))];
}

export async function checkRunBlock(runner: Runner, block: RunBlock): Promise<BlockResult> {
  const files = blockFiles(block);
  const report = await runner.run({
    mode: 'run',
    files,
    entry: 'main.py',
    stdin: { mode: block.stdin },
    limits: { wallS: block.timeoutS },
  });
  const output = report.outcome.output.map((c) => c.text).join('');
  const outcomeOk =
    block.expect === 'timeout'
      ? report.limitHit === 'timeout'
      : block.expect === 'error'
        ? report.status === 'program-failed'
        : report.status === 'ok';
  if (!outcomeOk) {
    const wanted = block.expect === 'timeout' ? 'to hang until its timeout' : block.expect === 'error' ? 'to fail' : 'to succeed';
    return { report, line: block.line, kind: 'run', ok: false, detail: `expected the block ${wanted}, but: ${report.message}\n${output.slice(-600)}`, output };
  }
  if (block.expectedOutput === null) return { report, line: block.line, kind: 'run', ok: true, detail: 'ran', output };
  const match = matchOutput(block.expectedOutput, output, block.unordered);
  if (match.matches) return { report, line: block.line, kind: 'run', ok: true, detail: 'output matches', output };
  const mismatch = match.firstMismatch;
  return {
    report,
    line: block.line,
    kind: 'run',
    ok: false,
    detail: `output differs at expected line ${mismatch?.expectedLine}: expected ${JSON.stringify(mismatch?.expected)}, got ${JSON.stringify(mismatch?.actual)}`,
    output,
  };
}

export async function checkCompareBlock(runner: Runner, block: CompareBlock): Promise<BlockResult & { ratio: number | null }> {
  const report = await runner.run({
    mode: 'timeit',
    files: [{ path: 'main.py', content: block.code }],
    entry: 'main.py',
    modeOptions: { timeit: { candidates: [block.faster, block.slower], rounds: 5, minBatchS: 0.1, gcEnabled: false } },
    limits: { wallS: 120 },
  });
  const [faster, slower] = report.document?.candidates ?? [];
  if (!faster || !slower) return { report, line: block.line, kind: 'compare', ok: false, detail: `timing failed: ${report.message}`, ratio: null };
  const ratio = median(slower.samplesS) / median(faster.samplesS);
  const ok = ratio >= block.factor;
  return {
    report,
    line: block.line,
    kind: 'compare',
    ok,
    ratio,
    detail: `${block.slower} took ${ratio.toFixed(1)}× as long as ${block.faster} (the lesson needs ≥ ${block.factor}×)`,
  };
}

export type ProfileBlockResult = BlockResult & ClaimViews & { claims: ClaimVerdict[] };

/**
 * Profiles the block's program and decides each claim. A run that did not finish cleanly fails
 * the block whatever its claims say (a crashed example shows nothing true).
 */
export async function checkProfileBlock(runner: Runner, block: ProfileBlock): Promise<ProfileBlockResult> {
  const result = await runConcurrencyProfile(
    runner,
    { files: blockFiles(block), entry: 'main.py', stdin: { mode: 'closed' }, limits: { wallS: block.timeoutS } },
    block.profiler,
  );
  const { report, sampled, timeline, memray } = result;
  const output = report.outcome.output.map((c) => c.text).join('');
  const views = { sampled, timeline, memray };
  const base = { report, line: block.line, kind: 'profile' as const, output, ...views };
  if (report.status !== 'ok') {
    return { ...base, ok: false, claims: [], detail: `the profiled run did not finish cleanly: ${report.message}\n${output.slice(-600)}` };
  }
  const claims = block.claims.map((claim) => decideClaim(claim, views));
  const broken = claims.filter((c) => !c.ok);
  const detail =
    broken.length === 0
      ? `${claims.length === 1 ? 'its claim holds' : `all ${claims.length} claims hold`}: ${claims.map((c) => c.detail).join('; ')}`
      : broken.map((c) => `claim "${c.text}" (line ${c.line}) does not hold: ${c.detail}`).join('; ');
  return { ...base, ok: broken.length === 0, claims, detail };
}

/** Any block, by kind: what `perflab check`, `perflab show` and the web app's Run button call. */
export function checkBlock(runner: Runner, block: LessonBlock): Promise<BlockResult> {
  return block.kind === 'run'
    ? checkRunBlock(runner, block)
    : block.kind === 'compare'
      ? checkCompareBlock(runner, block)
      : checkProfileBlock(runner, block);
}
