/** Parsing of `python profile=…` blocks and their claims, with the loader's FILE:LINE problems. */
import { describe, expect, it } from 'vitest';
import type { ProfileBlock } from '../core/course.js';
import type { Lesson } from './load.js';
import { extractBlocks } from './load.js';
import { parseClaim } from './profile-blocks.js';
import { lessonSegments } from './segments.js';

const FENCE = '```';
/** The lesson body starts on line 10 of its file, as if after nine lines of front matter. */
const BODY_LINE = 10;

function parse(body: string): { blocks: ReturnType<typeof extractBlocks>; problems: string[] } {
  const problems: string[] = [];
  const blocks = extractBlocks(body, BODY_LINE, 'lesson.md', problems);
  return { blocks, problems };
}

const GOOD = [
  'Intro text.',
  '',
  `${FENCE}python profile=sample timeout=20`,
  'import threading',
  'def denoise():',
  '    sum(range(10**6))',
  `${FENCE}`,
  '',
  `${FENCE}claims`,
  '# the workers, not join',
  'hot: denoise in threads',
  'concurrency: overlapping 2 in waiting-io',
  `${FENCE}`,
  '',
  'After.',
].join('\n');

describe('profile blocks', () => {
  it('parses the profiler, options and each claim with its line in the lesson file', () => {
    const { blocks, problems } = parse(GOOD);
    expect(problems).toEqual([]);
    const block = blocks[0] as ProfileBlock;
    expect(block).toMatchObject({ kind: 'profile', profiler: 'sample', timeoutS: 20, line: BODY_LINE + 2 });
    expect(block.code).toContain('def denoise');
    expect(block.claims).toEqual([
      { kind: 'hot', text: 'hot: denoise in threads', line: BODY_LINE + 10, name: 'denoise', where: 'threads' },
      {
        kind: 'concurrency',
        text: 'concurrency: overlapping 2 in waiting-io',
        line: BODY_LINE + 11,
        overlapping: true,
        atLeast: 2,
        state: 'waiting-io',
      },
    ]);
  });

  it('reads every claim form', () => {
    expect(parseClaim('hot: Pipeline.run in the main thread', 1)).toMatchObject({ name: 'Pipeline.run', where: 'main-thread' });
    expect(parseClaim('hot: crunch in processes', 1)).toMatchObject({ where: 'processes' });
    expect(parseClaim('hot: crunch', 1)).toMatchObject({ where: null });
    expect(parseClaim('concurrency: serial', 1)).toMatchObject({ overlapping: false, atLeast: 1, state: null });
    expect(parseClaim('concurrency: overlapping', 1)).toMatchObject({ overlapping: true, atLeast: 2 });
    expect(parseClaim('peak-in: build_index', 1)).toMatchObject({ kind: 'peak-in', name: 'build_index' });
    expect(parseClaim('leak-in: remember', 1)).toMatchObject({ kind: 'leak-in', name: 'remember' });
  });

  it('names the lesson file and line of a malformed claim, and says how to write it', () => {
    const body = GOOD.replace('concurrency: overlapping 2 in waiting-io', 'concurrency: mostly parallel');
    const { blocks, problems } = parse(body);
    expect(problems).toEqual([
      `lesson.md:${BODY_LINE + 11}: "concurrency: mostly parallel" is not a claim: write \`concurrency: serial|overlapping [N] [in running|waiting-io|waiting-lock]\``,
    ]);
    // The rest of the block still loads.
    expect((blocks[0] as ProfileBlock).claims.map((c) => c.kind)).toEqual(['hot']);
    expect(parse(GOOD.replace('hot: denoise in threads', 'fastest: denoise')).problems[0]).toMatch(
      new RegExp(`^lesson\\.md:${BODY_LINE + 10}: "fastest: denoise" is not a claim: write one of `),
    );
    expect(parse(GOOD.replace('overlapping 2', 'overlapping 1')).problems[0]).toContain('needs N ≥ 2');
  });

  it('refuses an unknown profiler, a missing claims fence, and claims the profiler cannot decide', () => {
    expect(parse(GOOD.replace('profile=sample', 'profile=perf')).problems).toEqual([
      `lesson.md:${BODY_LINE + 2}: profile must be one of sample, timeline, memray, not "perf"`,
    ]);
    const noClaims = GOOD.split('\n').slice(0, 8).join('\n');
    expect(parse(noClaims).problems).toEqual([
      `lesson.md:${BODY_LINE + 2}: a \`python profile=sample\` block must be followed by a \`claims\` block (one claim a line)`,
    ]);
    expect(parse(GOOD.replace('profile=sample', 'profile=memray')).problems).toEqual([
      `lesson.md:${BODY_LINE + 10}: a profile=memray block cannot decide "hot" claims (it can decide peak-in, leak-in)`,
      `lesson.md:${BODY_LINE + 11}: a profile=memray block cannot decide "concurrency" claims (it can decide peak-in, leak-in)`,
    ]);
    const empty = GOOD.replace('hot: denoise in threads\nconcurrency: overlapping 2 in waiting-io\n', '');
    expect(parse(empty).problems).toEqual([`lesson.md:${BODY_LINE + 8}: the claims block states no claim`]);
  });

  it('cuts the claims fence out of the lesson text and keeps the claims on the block view', () => {
    const { blocks } = parse(GOOD);
    const lesson = { body: GOOD, blocks } as unknown as Lesson;
    const segments = lessonSegments(lesson);
    expect(segments.map((s) => s.type)).toEqual(['markdown', 'block', 'markdown']);
    expect(segments[1]).toMatchObject({
      block: { kind: 'profile', index: 0, profiler: 'sample', claims: ['hot: denoise in threads', 'concurrency: overlapping 2 in waiting-io'] },
    });
    expect(JSON.stringify(segments)).not.toContain('# the workers, not join');
  });
});
