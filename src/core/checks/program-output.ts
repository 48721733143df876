/**
 * What the program-level deciders (hang, race, memory) know of a run's output: the output
 * itself and the reference solution's on the same input, both measured by the host.
 */

/** What the reference solution printed on this input, or why it could not say (an exercise bug). */
export type ReferenceOutput = { stdout: string } | { error: string };

/** The end of a long output: what a reader needs to see what went wrong. */
export function tail(text: string, chars = 600): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/** "printed "…", expected "…" (the reference solution's output on the same hidden input)". */
export function mismatch(stdout: string, expected: string, hidden: boolean): string {
  return (
    `printed ${JSON.stringify(tail(stdout, 120))}, expected ${JSON.stringify(tail(expected, 120))} ` +
    `(the reference solution's output on the same ${hidden ? 'hidden ' : ''}input)`
  );
}

/** One run as a decider sees it: its failure (the runner's sentence) or its stdout. */
export interface ProgramRun {
  /** Null when the run ended normally; else the runner's sentence for what happened. */
  failure: string | null;
  stdout: string;
  /** The reference solution's output on the same input; null when the check compares none. */
  expected: ReferenceOutput | null;
}

/** Why a run's output is not accepted: the run failed, the reference failed, or they differ. */
export type OutputProblem =
  | { kind: 'run' | 'reference'; sentence: string }
  /** `sentence`: "printed …, expected …"; the outputs as tails. */
  | { kind: 'output'; sentence: string; stdout: string; expectedStdout: string };

/** The first problem of a run whose output must match the reference's, or null. */
export function outputProblem(run: ProgramRun, hidden: boolean): OutputProblem | null {
  if (run.failure !== null) return { kind: 'run', sentence: run.failure };
  if (run.expected && 'error' in run.expected) return { kind: 'reference', sentence: run.expected.error };
  if (run.expected && run.stdout !== run.expected.stdout)
    return {
      kind: 'output',
      sentence: mismatch(run.stdout, run.expected.stdout, hidden),
      stdout: tail(run.stdout),
      expectedStdout: tail(run.expected.stdout),
    };
  return null;
}
