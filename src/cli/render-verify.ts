import { checkStatus, reportStatus, type CheckStatus } from '../core/verify-report.js';
import type { AllocationSiteEvidence, VerifyReport } from '../verify/engine.js';
import { colour, formatMs } from './format.js';

/** A mark and a word per status, so colour is never the only signal (NO_COLOR, screen readers). */
const MARK: Record<CheckStatus, string> = {
  passed: colour.green('✓'),
  failed: colour.red('✗'),
  undecided: colour.yellow('? undecided:'),
};

export function renderVerifyReport(report: VerifyReport): string {
  const lines = [colour.bold(`${report.exercise} — grading ${report.graded}`)];
  for (const check of report.checks) {
    const status = checkStatus(check);
    lines.push(
      `${MARK[status]} ${colour.bold(check.title)} ${colour.dim(`(${check.kind})`)} — ${status === 'undecided' ? colour.yellow(check.sentence) : check.sentence}`,
    );
    if (status === 'undecided') {
      const attempts = check.evidence.attempts;
      const waitedMs = check.evidence.waitedMs;
      if (typeof attempts === 'number' && typeof waitedMs === 'number')
        lines.push(
          colour.dim(
            `    measured ${attempts} time${attempts === 1 ? '' : 's'}, waiting ${formatMs(waitedMs)} in between; not counted as failed, and not yet passed`,
          ),
        );
    }
    const stuck = check.evidence.stuck as string[] | undefined;
    if (!check.passed && stuck && stuck.length > 0) {
      lines.push(colour.dim('    where it was stuck:'));
      for (const line of stuck) lines.push(`      ${line}`);
    }
    const outcomes = check.evidence.outcomes as
      | { count: number; exitCode: number | null; stdout?: string; label?: string; passedTests?: boolean }[]
      | undefined;
    if (!check.passed && outcomes && check.kind === 'race') {
      for (const o of outcomes)
        lines.push(
          `      ${String(o.count).padStart(4)}× exit ${o.exitCode ?? 'signal'}: ${JSON.stringify(o.stdout)}`,
        );
    }
    const sites = check.evidence.allocationSitesAtPeak as AllocationSiteEvidence[] | undefined;
    if (!check.passed && sites && sites.length > 0) {
      lines.push(colour.dim('    where the memory was at the peak (tracemalloc):'));
      const whereWidth = Math.max(...sites.map((s) => s.where.length));
      for (const site of sites)
        lines.push(
          `      ${site.sizeMb.toFixed(1).padStart(7)} MB  ${site.where.padEnd(whereWidth)}  ${site.source}`,
        );
    }
    if (check.kind === 'growth' && Array.isArray(check.evidence.learner)) {
      const points = check.evidence.learner as { n: number; timeS: number }[];
      lines.push(
        colour.dim(`      n → time: ${points.map((p) => `${p.n}: ${formatMs(p.timeS * 1000)}`).join(', ')}`),
      );
    }
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
