/** A lesson's profile example: its claims before a run, and each claim's verdict after one. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BlockResultView, LessonBlockView } from '../api/types';
import { ProfileClaims } from './LessonProfileBlock';

const block: Extract<LessonBlockView, { kind: 'profile' }> = {
  kind: 'profile',
  index: 2,
  code: 'print(1)\n',
  profiler: 'timeline',
  claims: ['concurrency: serial in waiting-io', 'concurrency: overlapping 10 in waiting-io'],
};

const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('ProfileClaims', () => {
  it('lists the claims as the lesson states them before any run', () => {
    const html = renderToStaticMarkup(createElement(ProfileClaims, { block, result: null }));
    expect(text(html)).toContain('The lesson claims');
    expect(text(html)).toContain('concurrency: serial in waiting-io');
    expect(html).not.toContain('data-ok');
  });

  it('marks each claim with its verdict and what the run showed', () => {
    const result = {
      ok: false,
      claims: [
        { text: block.claims[0], ok: true, detail: 'at most 1 lane was waiting-io at once (at 3 ms)' },
        { text: block.claims[1], ok: false, detail: 'at most 1 lane was waiting-io at once (at 3 ms)' },
      ],
    } as BlockResultView;
    const html = renderToStaticMarkup(createElement(ProfileClaims, { block, result }));
    expect(html.match(/data-ok="true"/g)).toHaveLength(1);
    expect(html.match(/data-ok="false"/g)).toHaveLength(1);
    expect(text(html)).toContain('does not hold: concurrency: overlapping 10 in waiting-io — at most 1 lane');
  });
});
