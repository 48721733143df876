import type { AllocationSiteEvidence, VerifyReport } from '../verify/engine.js';
import { colour, formatMs } from './format.js';

export function renderVerifyReport(report: VerifyReport): string {
  const lines = [colour.bold(`${report.exercise} — grading ${report.graded}`)];
  for (const check of report.checks) {
    const mark = check.passed ? colour.green('✓') : colour.red('✗');
    lines.push(`${mark} ${colour.bold(check.title)} ${colour.dim(`(${check.kind})`)} — ${check.sentence}`);
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
  const passed = report.checks.filter((c) => c.passed).length;
  lines.push(
    '',
    (report.passed
      ? colour.green(`All ${report.checks.length} checks pass.`)
      : colour.red(`${passed} of ${report.checks.length} checks pass.`)) +
      colour.dim(
        ` (${formatMs(report.wallMs)}, sandbox ${report.sandbox}${report.isolated ? '' : ', NOT isolated'})`,
      ),
  );
  return lines.join('\n');
}
