/**
 * The verification report document (`perflab verify --json`, and the web app's verify jobs).
 * Evidence is per check kind; docs/authoring.md lists what each kind records.
 *
 * Version 2 adds `status` to each check and to the report: a check that could not be decided
 * on this machine now (too busy to show CPU scaling, speed too noisy after the last round) is
 * `undecided`, never `failed`. `passed` is kept, and is true only for `status: 'passed'`, so a
 * reader of version 1 still never counts an undecided check as passed. Readers of stored
 * reports use `checkStatus`/`reportStatus`, which also read version 1 (no `status`); the
 * server reads stored reports with `verifyReportSchema` (verify-report-schema.ts). No zod
 * here: the web app imports this module's functions, and zod stays out of its bundle.
 */
import type { EvidenceOf } from './checks/evidence.js';
import type { CheckKind } from './exercise.js';

export type {
  AllocationSiteEvidence,
  ConcurrencyViews,
  EvidenceOf,
  MemoryPeakView,
} from './checks/evidence.js';

/** passed / failed: decided; undecided: this machine could not tell right now (measure again later). */
export type CheckStatus = 'passed' | 'failed' | 'undecided';

/** A check's result of kind K, as the deciders build it; `status` absent means decided by `passed`. */
export interface CheckResultOf<K extends CheckKind> {
  id: string;
  kind: K;
  title: string;
  /** True only when the check passed; false when it failed or is undecided. */
  passed: boolean;
  /** Absent in version 1 reports and from deciders that only pass or fail. */
  status?: CheckStatus;
  /** One sentence a learner understands (for undecided: why, and what to do). */
  sentence: string;
  /** The measurements behind the decision, typed per kind (core/checks/evidence.ts). */
  evidence: EvidenceOf<K>;
}

/** A check's result: a union discriminated by `kind`, so a reader narrows to the kind's evidence. */
export type CheckResult = { [K in CheckKind]: CheckResultOf<K> }[CheckKind];

/** A check as a version 2 report carries it: always with its status. */
export type ReportedCheck = CheckResult & { status: CheckStatus };

export interface VerifyReport {
  /** The engine writes version 2; version 1 documents (stored job history) lack `status`. */
  schema: 'perflab.verify/1' | 'perflab.verify/2';
  exercise: string;
  graded: string;
  /** True only when every check passed (undecided is not passed: the exercise is solved only then). */
  passed: boolean;
  /** failed if any check failed; else undecided if any is undecided; else passed. */
  status?: CheckStatus;
  checks: CheckResult[];
  sandbox: string;
  isolated: boolean;
  wallMs: number;
}

/** How often an undecided check was measured and how long the verification waited in between. */
export function undecidedExtras(check: CheckResult): { attempts: number; waitedMs: number } | null {
  if (check.kind !== 'speed' && check.kind !== 'cpu-scaling') return null;
  const { attempts, waitedMs } = check.evidence;
  return attempts === undefined || waitedMs === undefined ? null : { attempts, waitedMs };
}

export function checkStatus(check: Pick<CheckResult, 'passed' | 'status'>): CheckStatus {
  return check.status ?? (check.passed ? 'passed' : 'failed');
}

/** One failed check fails the report; otherwise one undecided check leaves it undecided. */
export function combinedStatus(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('undecided')) return 'undecided';
  return 'passed';
}

export function reportStatus(report: Pick<VerifyReport, 'passed' | 'status' | 'checks'>): CheckStatus {
  return report.status ?? (report.passed ? 'passed' : combinedStatus(report.checks.map(checkStatus)));
}

/** Gives every check its status; a check marked undecided is never `passed`. */
export function withStatus(check: CheckResult): ReportedCheck {
  const status = checkStatus(check);
  return { ...check, status, passed: status === 'passed' } as ReportedCheck;
}
