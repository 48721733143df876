/**
 * Splits a lesson body into Markdown text and runnable blocks, in document order, for readers
 * that render blocks as interactive examples (the web app). A `python run` block's `output`
 * fence is part of the block (its expected output), so it is cut from the text around it; so is
 * a profile block's `claims` fence.
 */
import MarkdownIt from 'markdown-it';
import type { LessonSegment } from '../core/api.js';
import type { Lesson } from './load.js';

const markdown = new MarkdownIt();

export function lessonSegments(lesson: Lesson): LessonSegment[] {
  const lines = lesson.body.split('\n');
  const fences = markdown.parse(lesson.body, {}).filter((t) => t.type === 'fence' && t.map);
  const segments: LessonSegment[] = [];
  let cursor = 0;
  let blockIndex = 0;
  const pushText = (from: number, to: number) => {
    const text = lines.slice(from, to).join('\n');
    if (text.trim()) segments.push({ type: 'markdown', markdown: text });
  };
  for (let i = 0; i < fences.length; i++) {
    const fence = fences[i];
    if (!fence?.map) continue;
    const info = fence.info.trim();
    const isRun = /^python\s+run\b/.test(info);
    const isCompare = /^python\s+compare\b/.test(info);
    // Same test as the loader's (load.ts): a python fence with a profile= option.
    const isProfile = !isRun && /^python\b/.test(info) && /(?:^|\s)profile=/.test(info);
    if (!isRun && !isCompare && !isProfile) continue;
    const block = lesson.blocks[blockIndex];
    if (!block) break;
    let end = fence.map[1];
    const next = fences[i + 1];
    if (((isRun && /^output\b/.test(next?.info.trim() ?? '')) || (isProfile && /^claims\b/.test(next?.info.trim() ?? ''))) && next?.map) {
      end = next.map[1];
      i++;
    }
    pushText(cursor, fence.map[0]);
    segments.push({
      type: 'block',
      block:
        block.kind === 'profile'
          ? {
              kind: 'profile',
              index: blockIndex,
              code: block.code,
              profiler: block.profiler,
              claims: block.claims.map((c) => c.text),
            }
          : block.kind === 'run'
          ? {
              kind: 'run',
              index: blockIndex,
              code: block.code,
              expect: block.expect,
              expectedOutput: block.expectedOutput,
              files: block.files,
            }
          : {
              kind: 'compare',
              index: blockIndex,
              code: block.code,
              faster: block.faster,
              slower: block.slower,
              factor: block.factor,
            },
    });
    blockIndex++;
    cursor = end;
  }
  pushText(cursor, lines.length);
  return segments;
}
