/**
 * DrillOutputView rendered to HTML (server-side, no DOM) on the views' fixtures: a recorded
 * profile shows the function table, a timeit recording the timing table, a recording of the
 * wrong shape says so instead of throwing.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DrillOutput } from '../../../src/core/drill-api.js';
import { profileResultFixture, runFixtures, timeitReportFixture } from '../views/test-fixtures';
import { DrillOutputView } from './DrillOutputView';

const recording = (tool: DrillOutput['tool'], result: Record<string, unknown>): DrillOutput => ({
  tool,
  program: { name: 'wordfreq.py', source: 'def word_counts(text):\n    return {}\n' },
  command: `perflab ${tool} wordfreq.py`,
  recordedAtMs: Date.UTC(2026, 11, 1),
  python: '3.11.7',
  result: { kind: tool, ...result },
});

const render = (output: DrillOutput) => renderToStaticMarkup(createElement(DrillOutputView, { output }));

describe('DrillOutputView', () => {
  it('shows a recorded profile in the function table, with the program and the command', () => {
    const html = render(recording('profile', { ...profileResultFixture }));
    expect(html).toContain('data-testid="profile-table"');
    expect(html).toContain('perflab profile wordfreq.py');
    expect(html).toContain('word_counts');
    expect(html).toContain('Python 3.11.7');
  });

  it('shows a recorded timeit in the timeit view', () => {
    const html = render(
      recording('timeit', { run: runFixtures.finished, gcEnabled: false, report: timeitReportFixture }),
    );
    expect(html).toContain('data-testid="timeit-chart"');
    expect(html).not.toContain('not in a shape');
  });

  it('says so when the recording is not a job result (the CLI JSON, say)', () => {
    const html = render(recording('profile', { schema: 'perflab.cli.profile/1', hotSpot: null }));
    expect(html).toContain('not in a shape perflab can show');
    expect(html).not.toContain('data-testid="profile-table"');
  });
});
