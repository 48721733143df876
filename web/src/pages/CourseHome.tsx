import { useEffect, type ReactNode } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { useLoad } from '../api/load';
import type { CourseIndex, ExerciseProgress } from '../api/types';
import { DifficultyBadge, KindBadge, StatusBadge } from '../components/Badges';
import { Empty, ErrorMessage, Loading } from '../components/States';

const NOT_STARTED: ExerciseProgress = {
  status: 'not-started',
  hintsShown: 0,
  explanationShown: false,
  solvedAt: null,
};

export function CourseHome() {
  const [course, { reload }] = useLoad('course', (signal) => api.course(signal));
  useEffect(() => {
    document.title = 'perflab — Python performance, concurrency and testing, hands on';
  }, []);
  if (course.status === 'loading') return <Loading label="Loading the course…" />;
  if (course.status === 'error')
    return (
      <section className="page">
        <ErrorMessage error={course.error} title="The course could not be loaded" retry={reload} />
      </section>
    );
  return <CourseIndexView course={course.data} />;
}

function CourseIndexView({ course }: { course: CourseIndex }) {
  const lessons = course.modules.flatMap((m) => m.lessons);
  const exercises = course.modules.flatMap((m) => m.exercises);
  const read = lessons.filter((l) => course.progress.lessons[l.id]?.readAt != null).length;
  const solved = exercises.filter((e) => course.progress.exercises[e.id]?.status === 'solved').length;
  const next = nextStep(course);
  return (
    <div className="page course-home" data-testid="course-home">
      <section className="course-intro">
        <h1>{course.title}</h1>
        {course.summary && <p className="lede">{course.summary}</p>}
        <div className="progress-summary" data-testid="progress-summary">
          <ProgressMeter label="Lessons read" value={read} total={lessons.length} />
          <ProgressMeter label="Exercises solved" value={solved} total={exercises.length} />
          {next && (
            <Link href={next.href} className="button button-primary">
              {next.label}
            </Link>
          )}
        </div>
      </section>
      {course.modules.length === 0 && <Empty>This course has no modules yet.</Empty>}
      <ol className="modules">
        {course.modules.map((module, index) => (
          <li key={module.id} className="module card" data-testid="module">
            <h2>
              <span className="module-number">Module {index + 1}</span> {module.title}
            </h2>
            {module.summary && <p className="muted">{module.summary}</p>}
            <div className="module-columns">
              <ModuleColumn
                label={`Lessons of ${module.title}`}
                title="Lessons"
                empty="No lessons yet."
                ordered
              >
                {module.lessons.map((lesson) => (
                  <CourseItem key={lesson.id} kind="lesson" item={lesson}>
                    <span className="muted">{lesson.minutes} min</span>
                    <DifficultyBadge difficulty={lesson.difficulty} />
                    {course.progress.lessons[lesson.id]?.readAt != null ? (
                      <span className="read-mark" title="Read">
                        <span aria-hidden="true">✓</span> read
                      </span>
                    ) : (
                      <span className="visually-hidden">not read yet</span>
                    )}
                  </CourseItem>
                ))}
              </ModuleColumn>
              <ModuleColumn
                label={`Exercises of ${module.title}`}
                title="Exercises and challenges"
                empty="No exercises yet."
              >
                {module.exercises.map((exercise) => (
                  <CourseItem key={exercise.id} kind="exercise" item={exercise}>
                    <KindBadge kind={exercise.kind} />
                    <DifficultyBadge difficulty={exercise.difficulty} />
                    <StatusBadge status={(course.progress.exercises[exercise.id] ?? NOT_STARTED).status} />
                  </CourseItem>
                ))}
              </ModuleColumn>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A module's lessons (numbered) or exercises, or a note that there are none. */
function ModuleColumn({
  label,
  title,
  empty,
  ordered = false,
  children,
}: {
  label: string;
  title: string;
  empty: string;
  ordered?: boolean;
  children: ReactNode[];
}) {
  const List = ordered ? 'ol' : 'ul';
  return (
    <section aria-label={label}>
      <h3>{title}</h3>
      {children.length === 0 ? <Empty>{empty}</Empty> : <List className="item-list">{children}</List>}
    </section>
  );
}

/** A lesson or exercise in a module's list: its link, then its meta (badges, minutes). */
function CourseItem({
  kind,
  item,
  children,
}: {
  kind: 'lesson' | 'exercise';
  item: { id: string; title: string };
  children: ReactNode;
}) {
  return (
    <li className="item" data-testid={`${kind}-item`}>
      <Link href={`/${kind}s/${item.id}`} className="item-title">
        {item.title}
      </Link>
      <span className="item-meta">{children}</span>
    </li>
  );
}

function ProgressMeter({ label, value, total }: { label: string; value: number; total: number }) {
  const percent = total > 0 ? Math.round((value / total) * 100) : 0;
  return (
    <div className="meter">
      <span className="meter-label">
        {label}: <strong>{value}</strong> of {total}
      </span>
      <span
        className="meter-bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={value}
      >
        <span className="meter-fill" style={{ width: `${percent}%` }} />
      </span>
    </div>
  );
}

/** The first unread lesson or unsolved exercise, in course order. */
function nextStep(course: CourseIndex): { href: string; label: string } | null {
  for (const module of course.modules) {
    const lesson = module.lessons.find((l) => course.progress.lessons[l.id]?.readAt == null);
    if (lesson) return { href: `/lessons/${lesson.id}`, label: `Continue: ${lesson.title}` };
    const exercise = module.exercises.find((e) => course.progress.exercises[e.id]?.status !== 'solved');
    if (exercise) return { href: `/exercises/${exercise.id}`, label: `Continue: ${exercise.title}` };
  }
  return null;
}
