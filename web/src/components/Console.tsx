import { useEffect, useLayoutEffect, useRef } from 'react';
import { isLive, type JobFollow } from '../api/jobs';
import type { OutputChunkView } from '../api/types';
import { formatDuration } from '../lib/format';

const STATE_TEXT = {
  queued: 'Queued',
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
} as const;

/** One line about where the job is: waiting, running, or how it ended. */
export function jobStatusText(follow: JobFollow, withMessage = true): string {
  if (follow.error) return follow.error;
  if (follow.job) {
    const base = `${STATE_TEXT[follow.job.state]} after ${formatDuration(follow.elapsedMs)}`;
    const message = follow.job.message;
    return withMessage && message && message.toLowerCase() !== follow.job.state
      ? `${base}: ${message}`
      : base;
  }
  if (follow.state === null) return follow.connecting ? 'Connecting…' : 'Starting…';
  if (follow.state === 'queued') {
    const position = follow.queuePosition > 0 ? `, position ${follow.queuePosition} in the queue` : '';
    return `Queued${position} · ${formatDuration(follow.elapsedMs)}`;
  }
  if (follow.state === 'running') return `Running · ${formatDuration(follow.elapsedMs)}`;
  return STATE_TEXT[follow.state];
}

/** Brings the console into view (after the learner starts a job). */
export function revealConsole(): void {
  const console = document.getElementById('console');
  if (!console) return;
  // Only when it is out of view: a smooth scroll repaints the page for a third of a second,
  // just when the run's first output should be drawn.
  const box = console.getBoundingClientRect();
  if (box.top >= 0 && box.top < window.innerHeight - 48) return;
  console.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** Cancel for a live job (the console's, and each lesson example's). */
export function CancelButton({ follow }: { follow: JobFollow }) {
  return (
    <button
      type="button"
      className="button button-small button-danger"
      onClick={() => void follow.cancel()}
      disabled={follow.cancelling}
      data-testid="cancel-button"
    >
      {follow.cancelling ? 'Cancelling…' : 'Cancel'}
    </button>
  );
}

/** Consecutive chunks of one stream are joined, so the DOM stays small for chatty programs. */
function merge(chunks: readonly OutputChunkView[]): { stream: OutputChunkView['stream']; text: string }[] {
  const merged: { stream: OutputChunkView['stream']; text: string }[] = [];
  for (const chunk of chunks) {
    const last = merged[merged.length - 1];
    if (last && last.stream === chunk.stream) last.text += chunk.text;
    else merged.push({ stream: chunk.stream, text: chunk.text });
  }
  return merged;
}

export function OutputText({ chunks, empty }: { chunks: readonly OutputChunkView[]; empty?: string }) {
  if (chunks.length === 0) return <span className="muted">{empty ?? '(no output)'}</span>;
  return (
    <>
      {merge(chunks).map((part, index) => (
        <span
          key={index}
          className={part.stream === 'stderr' ? 'stderr' : 'stdout'}
          data-stream={part.stream}
        >
          {part.text}
        </span>
      ))}
    </>
  );
}

interface ConsoleProps {
  follow: JobFollow;
  title?: string;
  /** Shown before any job was started. */
  idleText?: string;
}

/** Streaming stdout (normal) and stderr (red), the job's state and progress, and Cancel. */
export function Console({ follow, title = 'Console', idleText }: ConsoleProps) {
  const scroller = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  const live = isLive(follow);
  const truncated = follow.job?.outputTruncated ?? false;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [follow.output, follow.progress]);
  useEffect(() => {
    stick.current = true;
  }, [follow.jobId]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };

  const state = follow.job?.state ?? follow.state;
  return (
    <section
      id="console"
      className="console"
      data-testid="console"
      aria-label={title}
      data-state={state ?? 'idle'}
    >
      <div className="console-bar">
        <h2 className="console-title">{title}</h2>
        <p className="console-status" role="status" aria-live="polite" data-testid="job-status">
          {follow.jobId === null ? (idleText ?? 'Nothing has run yet.') : jobStatusText(follow)}
        </p>
        {live && <CancelButton follow={follow} />}
      </div>
      <pre
        className="console-output"
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label={`${title} output`}
        data-testid="console-output"
      >
        {follow.progress.map((line, index) => (
          <span key={`p${index}`} className="progress-line">
            {'› '}
            {line}
            {'\n'}
          </span>
        ))}
        {follow.jobId !== null && (
          <OutputText
            chunks={follow.output}
            empty={live || follow.job?.kind === 'verify' ? '' : '(the program printed nothing)'}
          />
        )}
        {live && <span className="cursor" aria-hidden="true" />}
      </pre>
      {truncated && (
        <p className="console-note warn">The output was too long and was cut; the end is not shown.</p>
      )}
    </section>
  );
}
