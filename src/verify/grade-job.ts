/**
 * The grade job: the authored function-level checks translated into the grader's checks
 * (harness mode `grade`), and one run of the grader, which measures from outside the
 * learner's processes with the reference and starter trees on the hidden pipe.
 */
import type { GradeCheck, HiddenDocument, Measurement } from '../core/documents.js';
import type { AuthoredCheck, Exercise, FileTree } from '../core/exercise.js';
import { exerciseEntry } from '../core/exercise-workspace.js';
import type { Runner } from '../runner/runner.js';
import type { JobFile } from '../sandbox/types.js';

/** The grader's wall-time limit (s); its CPU limit is twice that (the grader runs processes in parallel). */
const GRADE_WALL_S = 600;

/** The grader's check for an authored one (null: a program-level kind). `rounds` overrides speed's. */
export function toGradeCheck(check: AuthoredCheck, rounds?: number): GradeCheck | null {
  const [inputFile, inputFunction] =
    'input' in check ? (check.input.split(':') as [string, string]) : ['', ''];
  switch (check.kind) {
    case 'correctness':
      return {
        id: check.id,
        kind: 'correctness',
        call: check.call,
        casesFile: check.cases,
        compare: check.compare,
      };
    case 'speed':
      return {
        id: check.id,
        kind: 'speed',
        call: check.call,
        inputFile,
        inputFunction,
        baseline: check.atLeast !== undefined ? 'starter' : 'reference',
        rounds: rounds ?? check.rounds,
      };
    case 'growth':
      return {
        id: check.id,
        kind: 'growth',
        call: check.call,
        inputFile,
        inputFunction,
        sizes: check.sizes,
        repeats: check.repeats,
        withReference: true,
      };
    case 'memory-per-instance':
      return {
        id: check.id,
        kind: 'memory-per-instance',
        call: check.call,
        count: check.count,
        noDict: check.noDict,
      };
    case 'overlap':
      return {
        id: check.id,
        kind: 'overlap',
        call: check.call,
        inputFile,
        inputFunction,
        latencyMs: check.latencyMs,
      };
    case 'cpu-scaling':
      return {
        id: check.id,
        kind: 'cpu-scaling',
        call: check.call,
        inputFile,
        inputFunction,
        serialCall: check.serial,
        rounds: check.rounds,
      };
    default:
      return null;
  }
}

function pythonSources(tree: FileTree): FileTree {
  return Object.fromEntries(Object.entries(tree).filter(([path]) => path.endsWith('.py')));
}

/** One grade job: the measurements by check id, or why the grader did not finish. */
export async function runGrade(
  exercise: Exercise,
  files: JobFile[],
  checks: GradeCheck[],
  runner: Runner,
  seed: number,
): Promise<{ measurements: Map<string, Measurement>; failure: string | null }> {
  const hidden = JSON.stringify({
    schema: 'perflab.hidden/1',
    // On the hidden pipe, not in the job file: learner code can read the job file, and the
    // seed with the course's public input functions would give it every hidden input.
    seed,
    trees: {
      reference: pythonSources({ ...exercise.starter, ...exercise.solution }),
      starter: pythonSources(exercise.starter),
    },
    tests: Object.fromEntries(Object.entries(exercise.tests).map(([path, text]) => [`tests/${path}`, text])),
  } satisfies HiddenDocument);
  const report = await runner.run({
    mode: 'grade',
    // Other runs on the same CPUs would make good scaling look bad.
    exclusive: checks.some((c) => c.kind === 'cpu-scaling'),
    files,
    entry: exerciseEntry(exercise),
    hidden,
    modeOptions: { grade: { checks } },
    limits: {
      wallS: GRADE_WALL_S,
      cpuS: GRADE_WALL_S * 2,
      memoryMb: Math.max(1024, exercise.meta.limits.memoryMb ?? 0),
      tasks: 512,
    },
  });
  const measurements = new Map((report.document?.measurements ?? []).map((m) => [m.id, m]));
  const failure = report.document
    ? null
    : `the grader did not finish: ${report.message}${report.documentError ? ` (${report.documentError})` : ''}`;
  return { measurements, failure };
}
