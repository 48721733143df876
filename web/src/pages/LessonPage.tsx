/**
 * The lesson reader: Markdown between runnable examples. Each example runs on the server
 * (real CPython) and streams its output; a run example is then compared with the expected
 * output, a compare example shows the timeit chart, a profile example its claims' verdicts and
 * the profiler's view (LessonProfileBlock.tsx). The chart and the views load only when an
 * example has a result.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { api, errorMessage } from '../api/client';
import { isLive, type JobFollow } from '../api/jobs';
import { useLoad } from '../api/load';
import type { BlockResultView, JobResultView, LessonBlockView, LessonView } from '../api/types';
import { DifficultyBadge } from '../components/Badges';
import { CodeBlock } from '../components/CodeBlock';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { CancelButton, jobStatusText, OutputText } from '../components/Console';
import { StartError } from '../components/JobControls';
import { Markdown } from '../components/Markdown';
import { Loaded } from '../components/States';
import { useJob } from '../hooks/useJob';
import { useCourseTitles } from '../lib/course-titles';
import { withoutTitle } from '../lib/markdown';
import { PROFILER_TITLES, ProfileBlockViews, ProfileClaims } from './LessonProfileBlock';

const TimeitChart = lazy(() => import('../views/TimeitChart').then((m) => ({ default: m.TimeitChart })));
// The lesson's interview questions, after the text: its own chunk, so the lesson never waits for it.
const TestYourself = lazy(() => import('./drills/TestYourself'));

export default function LessonPage({ id }: { id: string }) {
  const [lesson, { reload }] = useLoad(`lesson:${id}`, (signal) => api.lesson(id, signal));
  const [readError, setReadError] = useState<string | null>(null);

  useEffect(() => {
    if (lesson.status !== 'ready') return;
    document.title = `${lesson.data.title} · perflab`;
    if (lesson.data.progress.readAt === null) {
      api.markLessonRead(id).catch((error: unknown) => setReadError(errorMessage(error)));
    }
  }, [lesson, id]);

  return (
    <Loaded state={lesson} what="lesson" id={id} reload={reload} className="page page-narrow">
      {(data) => <Lesson lesson={data} readError={readError} />}
    </Loaded>
  );
}

function Lesson({ lesson, readError }: { lesson: LessonView; readError: string | null }) {
  const titles = useCourseTitles();
  let exampleNumber = 0;
  return (
    <article className="page page-narrow lesson" data-testid="lesson" aria-labelledby="lesson-title">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/">Course</Link> <span aria-hidden="true">›</span>{' '}
        <span>{titles?.modules[lesson.moduleId] ?? lesson.moduleId}</span>
      </nav>
      <header className="lesson-header">
        <h1 id="lesson-title">{lesson.title}</h1>
        <p className="item-meta">
          <DifficultyBadge difficulty={lesson.difficulty} />
          <span className="muted">{lesson.minutes} min</span>
          {lesson.topics.map((topic) => (
            <span key={topic} className="tag">
              {topic}
            </span>
          ))}
          {lesson.progress.readAt !== null && (
            <span className="read-mark">
              <span aria-hidden="true">✓</span> read
            </span>
          )}
        </p>
        {lesson.objectives.length > 0 && (
          <details className="objectives" open>
            <summary>In this lesson</summary>
            <ul>
              {lesson.objectives.map((objective) => (
                <li key={objective}>{objective}</li>
              ))}
            </ul>
          </details>
        )}
        {lesson.prerequisites.length > 0 && (
          <p className="muted small">
            Builds on:{' '}
            {lesson.prerequisites.map((p, i) => (
              <span key={p}>
                {i > 0 && ', '}
                <Link href={`/lessons/${p}`}>{titles?.lessons[p] ?? p}</Link>
              </span>
            ))}
          </p>
        )}
        {readError && <p className="warn small">Could not mark the lesson as read: {readError}</p>}
      </header>
      <div className="lesson-body">
        {lesson.segments.map((segment, index) => {
          if (segment.type === 'markdown') {
            const source = index === 0 ? withoutTitle(segment.markdown, lesson.title) : segment.markdown;
            return <Markdown key={index} source={source} />;
          }
          exampleNumber += 1;
          return (
            <RunnableBlock key={index} lessonId={lesson.id} block={segment.block} number={exampleNumber} />
          );
        })}
      </div>
      <ErrorBoundary what="Test yourself">
        <Suspense fallback={null}>
          <TestYourself lessonId={lesson.id} moduleId={lesson.moduleId} />
        </Suspense>
      </ErrorBoundary>
      <nav className="lesson-pager" aria-label="Lessons">
        {lesson.previous ? (
          <Link href={`/lessons/${lesson.previous}`} className="pager-link" rel="prev">
            <span aria-hidden="true">←</span> Previous lesson
          </Link>
        ) : (
          <span />
        )}
        <Link href="/" className="pager-link">
          Course
        </Link>
        {lesson.next ? (
          <Link href={`/lessons/${lesson.next}`} className="pager-link" rel="next">
            Next lesson <span aria-hidden="true">→</span>
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </article>
  );
}

function blockResult(result: JobResultView | null | undefined): BlockResultView | null {
  return result && result.kind === 'block' ? result : null;
}

const EXPECT_NOTE = {
  success: null,
  error: 'This example is meant to fail with an error.',
  timeout: 'This example is meant to hang; it is stopped at its time limit.',
} as const;

function RunnableBlock({
  lessonId,
  block,
  number,
}: {
  lessonId: string;
  block: LessonBlockView;
  number: number;
}) {
  // A lesson's examples are remembered in this tab only: a reload shows the last run again.
  const jobs = useJob<'block'>({
    memoryKey: `lesson:${lessonId}#${block.index}`,
    storage: 'session',
    attachRemembered: true,
  });
  const { follow, jobId } = jobs;
  const starting = jobs.starting !== null;
  const live = isLive(follow);
  const result = blockResult(follow.job?.result as JobResultView | null | undefined);
  const isCompare = block.kind === 'compare';
  const isProfile = block.kind === 'profile';

  const run = () => jobs.start('block', (id) => api.runBlock(lessonId, block.index, id));

  const label = isCompare
    ? `Time example ${number}`
    : isProfile
      ? `Profile example ${number}`
      : `Run example ${number}`;
  return (
    <section
      className={`runnable card${isCompare ? ' runnable-compare' : ''}`}
      data-testid="run-block"
      data-block-index={block.index}
      aria-label={`Example ${number}`}
    >
      <div className="runnable-bar">
        <span className="runnable-title">
          {isCompare ? (
            <>
              Example {number}: is <code>{block.faster}</code> at least {block.factor}× faster than{' '}
              <code>{block.slower}</code>?
            </>
          ) : block.kind === 'profile' ? (
            <>
              Example {number}: {PROFILER_TITLES[block.profiler]}
            </>
          ) : (
            <>Example {number}</>
          )}
        </span>
        <span className="runnable-actions">
          {live && <CancelButton follow={follow} />}
          <button
            type="button"
            className="button button-small button-primary"
            onClick={() => void run()}
            disabled={starting || live}
            title={label}
            data-testid="run-block-button"
          >
            <span aria-hidden="true">▶</span>{' '}
            {live || starting
              ? 'Running…'
              : jobId
                ? 'Run again'
                : isCompare
                  ? 'Time it'
                  : isProfile
                    ? 'Profile'
                    : 'Run'}
            {/* The accessible name starts with the visible text, then says which example. */}
            <span className="visually-hidden"> example {number}</span>
          </button>
        </span>
      </div>
      <CodeBlock code={block.code} label={`Code of example ${number}`} />
      {block.kind === 'run' && EXPECT_NOTE[block.expect] && (
        <p className="runnable-note muted small">{EXPECT_NOTE[block.expect]}</p>
      )}
      {block.kind === 'run' && Object.keys(block.files).length > 0 && (
        <p className="runnable-note muted small">
          Runs with:{' '}
          {Object.keys(block.files).map((f, i) => (
            <span key={f}>
              {i > 0 && ', '}
              <code>{f}</code>
            </span>
          ))}
        </p>
      )}
      {block.kind === 'profile' && <ProfileClaims block={block} result={result} />}
      <StartError error={jobs.startError} what=" the example" />
      {jobId === null && block.kind === 'run' && block.expectedOutput !== null && (
        <div className="expected-only">
          <h3 className="panel-label">Expected output</h3>
          <pre className="output">{block.expectedOutput || '(nothing)'}</pre>
        </div>
      )}
      {jobId !== null && (
        <div className="runnable-result">
          <p className="small muted" role="status" aria-live="polite">
            {jobStatusText(follow, false)}
          </p>
          {!isCompare || follow.output.length > 0 ? (
            <BlockOutputs block={block} follow={follow} live={live} />
          ) : null}
          {result && (
            <p
              className={`verdict ${result.ok ? 'ok' : 'bad'}`}
              data-testid="block-verdict"
              data-ok={result.ok}
            >
              <span aria-hidden="true">{result.ok ? '✓' : '✗'}</span>{' '}
              {isProfile
                ? result.ok
                  ? 'The run shows what the lesson claims.'
                  : result.claims?.length
                    ? 'Not every claim held this time (see the claims above).'
                    : 'Not shown this time: '
                : isCompare
                  ? result.ok
                    ? 'Confirmed: '
                    : 'Not confirmed this time: '
                  : result.ok
                    ? 'Output matches the expected output.'
                    : 'Output does not match the expected output: '}
              {(isCompare || !result.ok) && !(isProfile && result.claims?.length) ? result.detail : null}
            </p>
          )}
          {result?.timeit && (
            <ErrorBoundary what="The chart">
              <Suspense fallback={<p className="muted small">Loading the chart…</p>}>
                <TimeitChart report={result.timeit} gcEnabled={result.gcEnabled} />
              </Suspense>
            </ErrorBoundary>
          )}
          {result && isProfile && <ProfileBlockViews result={result} />}
          {result?.run &&
            result.run.status !== 'ok' &&
            result.run.exception &&
            block.kind === 'run' &&
            block.expect === 'success' && (
              <pre className="output stderr">{result.run.exception.traceback}</pre>
            )}
        </div>
      )}
    </section>
  );
}

function BlockOutputs({ block, follow, live }: { block: LessonBlockView; follow: JobFollow; live: boolean }) {
  const expected = block.kind === 'run' ? block.expectedOutput : null;
  const actual = (
    <pre className="output" data-testid="block-output" tabIndex={0} aria-label="Output">
      <OutputText chunks={follow.output} empty={live ? '' : '(nothing)'} />
      {live && <span className="cursor" aria-hidden="true" />}
    </pre>
  );
  if (expected === null) {
    return (
      <div>
        <h3 className="panel-label">Output</h3>
        {actual}
      </div>
    );
  }
  return (
    <div className="side-by-side">
      <div>
        <h3 className="panel-label">Output</h3>
        {actual}
      </div>
      <div>
        <h3 className="panel-label">Expected</h3>
        <pre className="output" data-testid="block-expected">
          {expected || '(nothing)'}
        </pre>
      </div>
    </div>
  );
}
