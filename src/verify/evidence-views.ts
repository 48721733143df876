/**
 * Display-only views attached to checks after every verdict is decided (the timeline of a
 * concurrency check, the memory flame graph of a per-instance check): one evidence run per
 * check, one at a time, its views merged into the check's evidence. Nothing here changes a
 * status or a sentence.
 */
import type { AuthoredCheck, CheckKind, Exercise } from '../core/exercise.js';
import type { CheckResult } from '../core/verify-report.js';

/** What views the checks of some kinds get, and the progress line while they are made. */
export interface Viewer<K extends CheckKind> {
  kinds: readonly K[];
  build: (check: Extract<AuthoredCheck, { kind: K }>) => Promise<object>;
  progress: (check: AuthoredCheck) => string;
}

/** Each check of the viewer's kinds that has a result gets the views it builds. */
export async function attachViews<K extends CheckKind>(
  exercise: Exercise,
  results: Map<string, CheckResult>,
  viewer: Viewer<K>,
  onProgress?: (line: string) => void,
): Promise<void> {
  for (const check of exercise.meta.checks) {
    const result = results.get(check.id);
    if (!result || !(viewer.kinds as readonly CheckKind[]).includes(check.kind)) continue;
    onProgress?.(viewer.progress(check));
    const views = await viewer.build(check as Extract<AuthoredCheck, { kind: K }>);
    results.set(check.id, { ...result, evidence: { ...result.evidence, ...views } } as CheckResult);
  }
}
