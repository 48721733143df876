/**
 * Every profile, run and timeit view rendered to HTML on the test fixtures (server-side, so
 * without a DOM: effects and charts do not run). Checks what a learner reads in each.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ProfileView } from './ProfileView';
import { RunSummary } from './RunSummary';
import { TimeitChart } from './TimeitChart';
import { profileResultFixture, runFixtures, timeitReportFixture } from './test-fixtures';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"');

describe('ProfileView', () => {
  const html = renderToStaticMarkup(
    createElement(ProfileView, {
      result: profileResultFixture,
      artifactsBase: '/api/jobs/j1/artifacts',
      onSelectFunction: () => undefined,
    }),
  );

  it('names the hottest of the learner functions first', () => {
    expect(text(html)).toContain('Most of your code’s time is spent in word_counts (wordfreq.py:24)');
  });

  it('lists only the learner functions by default, slowest own time first', () => {
    const table = html.slice(html.indexOf('data-testid="profile-table"'), html.indexOf('</table>'));
    const names = [...table.matchAll(/<th scope="row"[^>]*>(?:<button[^>]*>|<span[^>]*>)([^<]+)/g)].map(
      (m) => m[1],
    );
    expect(names.slice(0, 3)).toEqual(['word_counts', 'normalise', '&lt;lambda&gt;']);
    expect(names).toHaveLength(8);
  });

  it('draws every frame of the flame graph and the line timings and memory tables', () => {
    expect(html.match(/data-testid="flame-frame"/g)?.length).toBeGreaterThan(15);
    expect(html).toContain('data-name="word_counts"');
    expect(text(html)).toContain('counts[word] = words.count(word)');
    expect(html).toContain('data-testid="memory-sites"');
    expect(text(html)).toContain('Peak traced memory');
    expect(html).toContain('href="/api/jobs/j1/artifacts/profile.prof"');
  });
});

describe('RunSummary', () => {
  const render = (run: keyof typeof runFixtures) =>
    renderToStaticMarkup(createElement(RunSummary, { run: runFixtures[run] }));

  it('says how each run ended', () => {
    expect(text(render('finished'))).toContain('Finished — The program finished.');
    expect(text(render('failed'))).toContain("KeyError: 'the'");
    const hung = render('hung');
    expect(hung).toContain('data-status="limit"');
    expect(text(hung)).toContain('not isolated');
    expect(text(hung)).toContain('Waited in queue');
  });
});

describe('TimeitChart', () => {
  it('names the fastest candidate and tabulates every candidate against it', () => {
    const html = renderToStaticMarkup(
      createElement(TimeitChart, { report: timeitReportFixture, gcEnabled: false }),
    );
    expect(text(html)).toMatch(/^Counter\(words\) is fastest at 2\.\d+ ms per loop \(median of 7 samples\)/);
    expect(html.match(/<tr/g)).toHaveLength(1 + 4);
    expect(text(html)).toContain('Garbage collection was disabled while timing');
  });
});
