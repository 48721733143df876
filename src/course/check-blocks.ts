/**
 * Runs a lesson's blocks in the sandbox: `python run` blocks must print their expected
 * output (and fail or hang when marked so); `python compare` claims must hold.
 */
import { matchOutput, type CompareBlock, type RunBlock } from '../core/course.js';
import { median } from '../core/stats.js';
import type { AnyJobReport, Runner } from '../runner/runner.js';

export interface BlockResult {
  line: number;
  kind: 'run' | 'compare';
  ok: boolean;
  /** What happened, for the author: the first mismatching line, or the measured ratio. */
  detail: string;
  /** Program output (run blocks), for `perflab show`. */
  output?: string;
  /** The sandbox run behind the verdict, for views that show more than the verdict. */
  report: AnyJobReport;
}

export async function checkRunBlock(runner: Runner, block: RunBlock): Promise<BlockResult> {
  const files = [{ path: 'main.py', content: block.code }, ...Object.entries(block.files).map(([path, content]) => ({ path, content }))];
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
