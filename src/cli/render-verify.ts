import {
  checkStatus,
  reportStatus,
  undecidedExtras,
  type CheckResult,
  type CheckStatus,
  type VerifyReport,
} from '../core/verify-report.js';
import type { MemoryTreeNode } from '../core/documents.js';
import { formatBytes } from '../core/memory-report.js';
import { colour, formatMs } from './format.js';
import { renderLaneChart } from './render-timeline.js';

/** A mark and a word per status, so colour is never the only signal (NO_COLOR, screen readers). */
const MARK: Record<CheckStatus, string> = {
  passed: colour.green('✓'),
  failed: colour.red('✗'),
  undecided: colour.yellow('? undecided:'),
};

/**
 * The stack that holds most of the memory at the peak, named by its innermost frame of the
 * learner's code ("make_record (record_factory.py:31)"), or its innermost frame.
 */
function heaviestStack(root: MemoryTreeNode): string | null {
  let named: string | null = null;
  for (let node: MemoryTreeNode | undefined = root; node;) {
    const frame = node.frame;
    if (frame && (frame.origin === 'user' || named === null))
      named = `${frame.name} (${frame.file}:${frame.line})`;
    node = [...node.children].sort((a, b) => b.bytes - a.bytes)[0];
  }
  return named;
}

/** A line per view attached to the evidence (display only: the timeline, the memory flame graph). */
function viewLines(check: CheckResult): string[] {
  const lines: string[] = [];
  if (check.kind === 'overlap' || check.kind === 'cpu-scaling' || check.kind === 'race') {
    const { concurrency, timelineSource, timelineMissing } = check.evidence;
    if (concurrency) lines.push(`    ${concurrency}`);
    const { timeline } = check.evidence;
    // A compact chart: enough to see the lanes one after another or together.
    if (timeline && timeline.lanes.length > 0)
      lines.push(
        ...renderLaneChart(timeline, { columns: 48, maxLanes: 8 })
          .split('\n')
          .map((l) => `    ${l}`),
      );
    if (timelineSource) lines.push(colour.dim(`    timeline: ${timelineSource}`));
    if (timelineMissing) lines.push(colour.dim(`    ${timelineMissing}`));
  }
  if (check.kind === 'memory-per-instance') {
    const { memoryPeak, memoryPeakMissing } = check.evidence;
    if (memoryPeak) {
      const where = heaviestStack(memoryPeak.tree);
      lines.push(
        colour.dim(
          `    memory at the peak: ${formatBytes(memoryPeak.peakBytes)}${where ? `, most under ${where}` : ''}` +
            ` (${memoryPeak.source ?? 'memray'}; the flame graph is in the web app and --json)`,
        ),
      );
    }
    if (memoryPeakMissing) lines.push(colour.dim(`    ${memoryPeakMissing}`));
  }
  return lines;
}

/** The lines under a check that show its evidence: what a learner needs to see what went wrong. */
function evidenceLines(check: CheckResult): string[] {
  const lines: string[] = [];
  if (check.kind === 'hang' && !check.passed && check.evidence.stuck?.length) {
    lines.push(colour.dim('    where it was stuck:'), ...check.evidence.stuck.map((line) => `      ${line}`));
  }
  if (check.kind === 'race' && !check.passed) {
    for (const o of check.evidence.outcomes ?? [])
      lines.push(
        `      ${String(o.count).padStart(4)}× exit ${o.exitCode ?? 'signal'}: ${JSON.stringify(o.stdout)}`,
      );
  }
  const sites =
    check.kind === 'memory-peak' || check.kind === 'memory-streaming'
      ? check.evidence.allocationSitesAtPeak
      : [];
  if (!check.passed && sites && sites.length > 0) {
    lines.push(colour.dim('    where the memory was at the peak (tracemalloc):'));
    const whereWidth = Math.max(...sites.map((s) => s.where.length));
    for (const site of sites)
      lines.push(
        `      ${site.sizeMb.toFixed(1).padStart(7)} MB  ${site.where.padEnd(whereWidth)}  ${site.source}`,
      );
  }
  if (check.kind === 'growth' && check.evidence.learner) {
    const points = check.evidence.learner.map((p) => `${p.n}: ${formatMs(p.timeS * 1000)}`);
    lines.push(colour.dim(`      n → time: ${points.join(', ')}`));
  }
  return lines;
}

export function renderVerifyReport(report: VerifyReport): string {
  const lines = [colour.bold(`${report.exercise} — grading ${report.graded}`)];
  for (const check of report.checks) {
    const status = checkStatus(check);
    lines.push(
      `${MARK[status]} ${colour.bold(check.title)} ${colour.dim(`(${check.kind})`)} — ${status === 'undecided' ? colour.yellow(check.sentence) : check.sentence}`,
    );
    const extras = status === 'undecided' ? undecidedExtras(check) : null;
    if (extras)
      lines.push(
        colour.dim(
          `    measured ${extras.attempts} time${extras.attempts === 1 ? '' : 's'}, waiting ${formatMs(extras.waitedMs)} in between; not counted as failed, and not yet passed`,
        ),
      );
    lines.push(...evidenceLines(check), ...viewLines(check));
  }
  const passed = report.checks.filter((c) => checkStatus(c) === 'passed').length;
  const undecided = report.checks.filter((c) => checkStatus(c) === 'undecided').length;
  const failed = report.checks.length - passed - undecided;
  const status = reportStatus(report);
  const summary =
    status === 'passed'
      ? colour.green(`All ${report.checks.length} checks pass.`)
      : status === 'undecided'
        ? colour.yellow(
            `${passed} of ${report.checks.length} checks pass; ${undecided} could not be decided on this machine now (none failed). ` +
              'Run perflab verify again when the machine is quieter.',
          )
        : colour.red(
            `${passed} of ${report.checks.length} checks pass` +
              (undecided > 0 ? ` (${failed} failed, ${undecided} undecided).` : '.'),
          );
  lines.push(
    '',
    summary +
      colour.dim(
        ` (${formatMs(report.wallMs)}, sandbox ${report.sandbox}${report.isolated ? '' : ', NOT isolated'})`,
      ),
  );
  return lines.join('\n');
}
