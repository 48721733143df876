/** The exercise's header (breadcrumbs, title, badges) and the task card with what Verify checks. */
import { useState } from 'react';
import { Link } from 'wouter';
import type { ExerciseProgress, ExerciseView } from '../../api/types';
import { DifficultyBadge, KindBadge, StatusBadge } from '../../components/Badges';
import { Markdown } from '../../components/Markdown';
import { useCourseTitles } from '../../lib/course-titles';
import { withoutTitle } from '../../lib/markdown';

export function ExerciseHeader({ view, progress }: { view: ExerciseView; progress: ExerciseProgress }) {
  const titles = useCourseTitles();
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/">Course</Link>
        {view.moduleId && (
          <>
            {' '}
            <span aria-hidden="true">›</span> <span>{titles?.modules[view.moduleId] ?? view.moduleId}</span>
          </>
        )}
      </nav>
      <header className="workspace-header">
        <h1>{view.title}</h1>
        <p className="item-meta">
          <KindBadge kind={view.kind} />
          <DifficultyBadge difficulty={view.difficulty} />
          <StatusBadge status={progress.status} />
          {view.topics.map((topic) => (
            <span key={topic} className="tag">
              {topic}
            </span>
          ))}
        </p>
      </header>
    </>
  );
}

/** Phones: the task is folded to its start, so the editor is near the top. */
export function TaskCard({ view }: { view: ExerciseView }) {
  const [promptOpen, setPromptOpen] = useState(false);
  return (
    <section
      className={`card prompt${promptOpen ? ' is-open' : ''}`}
      aria-labelledby="prompt-title"
      data-testid="prompt"
    >
      <h2 id="prompt-title" className="visually-hidden">
        The task
      </h2>
      <div className="prompt-body" id="prompt-body">
        <Markdown source={withoutTitle(view.prompt, view.title)} />
      </div>
      <button
        type="button"
        className="link-button prompt-toggle"
        aria-expanded={promptOpen}
        aria-controls="prompt-body"
        onClick={() => setPromptOpen((open) => !open)}
      >
        {promptOpen ? 'Show less of the task' : 'Show the whole task'}
      </button>
      {view.checks.length > 0 && (
        <details className="checks">
          <summary>What Verify checks ({view.checks.length})</summary>
          <ul>
            {view.checks.map((check) => (
              <li key={check.id}>
                {check.title} <span className="tag">{check.kind}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
