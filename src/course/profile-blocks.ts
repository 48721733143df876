/**
 * Parsing of profile blocks (docs/authoring.md, "Profile blocks"): a fence whose info string
 * is `python profile=sample|timeline|memray [timeout=S] [file=NAME,…]`, followed by a `claims`
 * fence with one claim a line. Problems are `FILE:LINE: message` with the line of the fence or
 * of the claim, like every other course problem.
 */
import {
  PROFILE_BLOCK_PROFILERS,
  type ProfileBlock,
  type ProfileBlockProfiler,
  type ProfileClaim,
} from '../core/course.js';

/** Which claims each profiler's result can decide. */
const CLAIMS_FOR: Record<ProfileBlockProfiler, readonly ProfileClaim['kind'][]> = {
  sample: ['hot', 'concurrency'],
  timeline: ['concurrency'],
  memray: ['peak-in', 'leak-in'],
};

const NAME = String.raw`[A-Za-z_][A-Za-z0-9_.<>]*`;
const HOT = new RegExp(`^hot:\\s*(${NAME})(?:\\s+in\\s+(threads|processes|the main thread))?$`);
const CONCURRENCY =
  /^concurrency:\s*(serial|overlapping)(?:\s+(\d+))?(?:\s+in\s+(running|waiting-io|waiting-lock))?$/;
const FUNCTION_CLAIM = new RegExp(`^(peak-in|leak-in):\\s*(${NAME})$`);

const SYNTAX: Record<ProfileClaim['kind'], string> = {
  hot: '`hot: NAME [in threads|in processes|in the main thread]`',
  concurrency: '`concurrency: serial|overlapping [N] [in running|waiting-io|waiting-lock]`',
  'peak-in': '`peak-in: NAME`',
  'leak-in': '`leak-in: NAME`',
};

/** One claim line, or the reason it is not one. */
export function parseClaim(text: string, line: number): ProfileClaim | string {
  const hot = HOT.exec(text);
  if (hot) {
    const where = hot[2] === 'the main thread' ? 'main-thread' : ((hot[2] ?? null) as 'threads' | 'processes' | null);
    return { kind: 'hot', text, line, name: hot[1] as string, where };
  }
  const concurrency = CONCURRENCY.exec(text);
  if (concurrency) {
    const overlapping = concurrency[1] === 'overlapping';
    const atLeast = Number(concurrency[2] ?? (overlapping ? 2 : 1));
    if (!overlapping && concurrency[2] !== undefined) return '`concurrency: serial` takes no count (serial means at most one lane at once)';
    if (overlapping && atLeast < 2) return '`concurrency: overlapping N` needs N ≥ 2';
    const state = (concurrency[3] ?? null) as 'running' | 'waiting-io' | 'waiting-lock' | null;
    return { kind: 'concurrency', text, line, overlapping, atLeast, state };
  }
  const fn = FUNCTION_CLAIM.exec(text);
  if (fn) return { kind: fn[1] as 'peak-in' | 'leak-in', text, line, name: fn[2] as string };
  const kind = Object.keys(SYNTAX).find((k) => text.startsWith(`${k}:`)) as ProfileClaim['kind'] | undefined;
  return kind
    ? `"${text}" is not a claim: write ${SYNTAX[kind]}`
    : `"${text}" is not a claim: write one of ${Object.values(SYNTAX).join(', ')}`;
}

export interface ProfileFence {
  info: string;
  options: Record<string, string>;
  code: string;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

/**
 * A profile block from its fence and the fence after it (which must be `claims`). Adds a
 * problem for every fault and still returns a block (with the claims that did parse) so that
 * the rest of the lesson loads; `perflab check` fails on the problems.
 */
export function parseProfileBlock(
  fence: ProfileFence,
  next: { info: string; content: string; line: number } | null,
  textFiles: Record<string, string>,
  file: string,
  problems: string[],
): ProfileBlock {
  const { options, line } = fence;
  const requested = options.profile ?? '';
  const known = (PROFILE_BLOCK_PROFILERS as readonly string[]).includes(requested);
  if (!known) {
    problems.push(`${file}:${line}: profile must be one of ${PROFILE_BLOCK_PROFILERS.join(', ')}, not "${requested}"`);
  }
  const profiler = (known ? requested : 'sample') as ProfileBlockProfiler;
  const timeoutS = Number(options.timeout ?? 30);
  if (!(timeoutS > 0 && timeoutS <= 60)) problems.push(`${file}:${line}: timeout must be between 0 and 60 seconds`);
  const files: Record<string, string> = {};
  for (const name of (options.file ?? '').split(',').filter(Boolean)) {
    if (textFiles[name] === undefined) problems.push(`${file}:${line}: file=${name}: no preceding \`\`\`text file=${name} block`);
    else files[name] = textFiles[name];
  }
  const claims: ProfileClaim[] = [];
  if (!next || !/^claims\b/.test(next.info.trim())) {
    problems.push(`${file}:${line}: a \`python profile=${requested}\` block must be followed by a \`claims\` block (one claim a line)`);
  } else {
    let written = 0;
    next.content.split('\n').forEach((raw, i) => {
      const text = raw.trim();
      if (!text || text.startsWith('#')) return;
      written++;
      // The claims fence's own line is next.line; its first content line is one below.
      const claimLine = next.line + 1 + i;
      const claim = parseClaim(text, claimLine);
      if (typeof claim === 'string') problems.push(`${file}:${claimLine}: ${claim}`);
      else if (!CLAIMS_FOR[profiler].includes(claim.kind)) {
        problems.push(
          `${file}:${claimLine}: a profile=${profiler} block cannot decide "${claim.kind}" claims (it can decide ${CLAIMS_FOR[profiler].join(', ')})`,
        );
      } else claims.push(claim);
    });
    if (written === 0) {
      problems.push(`${file}:${next.line}: the claims block states no claim`);
    }
  }
  return { kind: 'profile', line, code: fence.code, profiler, timeoutS, files, claims };
}
