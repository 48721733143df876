/**
 * Where a traced frame's code lives, from the path a tracer reports inside the sandbox — the
 * TypeScript twin of python/perflab_harness/paths.py for tools that run outside the harness's
 * own process (py-spy) or report raw paths (VizTracer).
 *
 * Sandbox layout (src/sandbox/bwrap.ts): the learner's files under `/work/`, the harness under
 * `/perflab/harness/`, the venv at `/perflab/venv` (site-packages), the interpreter's standard
 * library under `…/lib/python3.x/`. The harness's timeline mode already writes learner paths
 * relative to the work dir, so a relative path is the learner's too.
 */
import type { CodeOrigin } from '../documents.js';
import { TIMELINE_MAX_STACK, type TimelineFrame } from './timeline.js';

export const SANDBOX_WORK_DIR = '/work/';
const HARNESS_DIR = '/perflab/harness/';

/** A frame as the tracer named it: function, file path, line (0 when unknown). */
export interface RawFrame {
  name: string;
  file: string;
  line: number;
}

/** The harness and runpy, which sit between the harness's entry and the learner's `<module>`. */
export function isHarnessFile(file: string): boolean {
  return (
    file.startsWith(HARNESS_DIR) ||
    file.includes('/perflab_harness/') ||
    file === '<frozen runpy>' ||
    /\/lib\/python3\.\d+\/runpy\.py$/.test(file)
  );
}

/** Same order as paths.py: builtin, frozen stdlib, site-packages, learner, stdlib, else learner. */
export function originOf(file: string): CodeOrigin {
  if (file === '' || file === '~' || file === '<built-in>') return 'builtin';
  if (file.startsWith('<frozen ')) return 'stdlib';
  if (file.includes('/site-packages/') || file.includes('/dist-packages/')) return 'site-packages';
  if (file.startsWith(SANDBOX_WORK_DIR) || !file.startsWith('/')) return 'user';
  if (/\/lib\/python3\.\d+\//.test(file)) return 'stdlib';
  // Files the program wrote to /tmp, "<string>" from its own exec(): the learner's, as in paths.py.
  return 'user';
}

/** Learner files relative to the work dir ("previews.py"); every other path unchanged. */
export function displayFile(file: string): string {
  return file.startsWith(SANDBOX_WORK_DIR) ? file.slice(SANDBOX_WORK_DIR.length) : file;
}

/**
 * Drops the harness's frames from the outermost end of a stack (outermost first): the learner
 * process runs the program through perflab_harness → runpy, and those frames are never the
 * learner's. A stack that starts in the harness and does not go on into the learner's code
 * (the harness's own start-up imports, its exit) is the harness's work: it becomes empty.
 * Stacks that do not start in the harness (threads, spawned workers) are kept whole.
 */
export function stripHarness<T extends { file: string }>(stack: readonly T[]): T[] {
  let first = 0;
  while (first < stack.length && isHarnessFile((stack[first] as T).file)) first += 1;
  if (first === 0) return [...stack];
  const next = stack[first];
  return next && originOf(next.file) === 'user' ? stack.slice(first) : [];
}

/**
 * A span's stack (outermost first, harness stripped by the caller, at most TIMELINE_MAX_STACK
 * frames with the innermost kept) and its hover label: the innermost learner frame, else the
 * innermost frame.
 */
export function spanFrames(frames: readonly RawFrame[]): { stack: TimelineFrame[]; label: string } {
  const stack = frames.slice(-TIMELINE_MAX_STACK).map((f) => ({
    name: f.name,
    file: displayFile(f.file),
    line: f.line,
    origin: originOf(f.file),
  }));
  const learner = [...stack].reverse().find((f) => f.origin === 'user');
  return { stack, label: (learner ?? stack[stack.length - 1])?.name ?? '' };
}
