import {
  checkStatus,
  reportStatus,
  undecidedExtras,
  type CheckResult,
  type CheckStatus,
  type VerifyReport,
} from '../core/verify-report.js';
import { colour, formatMs } from './format.js';

/** A mark and a word per status, so colour is never the only signal (NO_COLOR, screen readers). */
const MARK: Record<CheckStatus, string> = {
  passed: colour.green('✓'),
  failed: colour.red('✗'),
  undecided: colour.yellow('? undecided:'),
};

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
    lines.push(...evidenceLines(check));
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
