import type { ExerciseProgress, ExerciseSummary, LessonSummary } from '../api/types';

export function DifficultyBadge({ difficulty }: { difficulty: LessonSummary['difficulty'] }) {
  return (
    <span className={`badge badge-${difficulty}`} title={`Difficulty: ${difficulty}`}>
      {difficulty}
    </span>
  );
}

export function KindBadge({ kind }: { kind: ExerciseSummary['kind'] }) {
  return (
    <span
      className={`badge badge-kind-${kind}`}
      title={kind === 'debug' ? 'Debugging exercise' : 'Challenge'}
    >
      {kind === 'debug' ? 'debug' : 'challenge'}
    </span>
  );
}

const STATUS_LABEL: Record<ExerciseProgress['status'], string> = {
  'not-started': 'not started',
  started: 'started',
  attempted: 'attempted',
  solved: 'solved',
};

export function StatusBadge({ status }: { status: ExerciseProgress['status'] }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span aria-hidden="true" className="status-dot" />
      {STATUS_LABEL[status]}
    </span>
  );
}
