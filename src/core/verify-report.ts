/**
 * The verification report document (`perflab verify --json`, and the web app's verify jobs).
 * Evidence is per check kind; docs/authoring.md lists what each kind records.
 */
import type { CheckKind } from './exercise.js';

export interface CheckResult {
  id: string;
  kind: CheckKind;
  title: string;
  passed: boolean;
  /** One sentence a learner understands. */
  sentence: string;
  /**
   * The measurements behind the decision. Speed: speedup, interval [low, high], rounds.
   * Growth: learner/reference points ({ n, timeS }), learnerFit, referenceFit, limit.
   * Hang: wallMs, stdout, stderr, stuck (one line per stuck thread).
   * Memory (peak, streaming) when failed: allocationSitesAtPeak ({ where, sizeMb, blocks, source }).
   */
  evidence: Record<string, unknown>;
}

export interface VerifyReport {
  schema: 'perflab.verify/1';
  exercise: string;
  graded: string;
  passed: boolean;
  checks: CheckResult[];
  sandbox: string;
  isolated: boolean;
  wallMs: number;
}
