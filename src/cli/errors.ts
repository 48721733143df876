/** Exit codes, documented in README and `perflab --help`. */
export const EXIT = { ok: 0, programFailed: 1, usage: 2 } as const;

/** A mistake in how perflab was called: reported in one line, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
