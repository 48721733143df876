/**
 * The timeline, sampled-profile and memray views rendered to HTML on the fixtures (no DOM, so
 * no effects), and their pure helpers: what a learner reads in each.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ProfileResultView } from '../../../src/core/api.js';
import type { CheckResult, VerifyReport } from '../../../src/core/verify-report.js';
import { ConcurrencyProfileView } from './ConcurrencyProfileView';
import {
  denseTimeline,
  hoardMemray,
  serialFetchTimeline,
  threadsSampledProfile,
} from './concurrency-fixtures';
import { peakOwners } from './memray-summary';
import { MemrayView } from './MemrayView';
import * as sampledRows from './sampled-rows';
import { SampledProfileView } from './SampledProfileView';
import { TimelineView } from './TimelineView';
import { VerifyReportView } from './VerifyReportView';

const ENTITIES: Record<string, string> = { '&#x27;': "'", '&quot;': '"', '&amp;': '&' };
/** The text a learner reads in rendered HTML. */
const text = (html: string) =>
  html.replace(/<[^>]+>/g, '').replace(/&#x27;|&quot;|&amp;/g, (e) => ENTITIES[e] ?? e);

describe('TimelineView', () => {
  const html = renderToStaticMarkup(
    createElement(TimelineView, {
      timeline: serialFetchTimeline(),
      traceUrl: '/api/jobs/j1/artifacts/trace.json',
    }),
  );

  it('says in one line that the fetches waited one at a time', () => {
    const summary = html.slice(html.indexOf('data-testid="timeline-summary"'), html.indexOf('</p>'));
    expect(text(summary)).toContain('11 lanes (1 thread, 10 asyncio tasks)');
    expect(text(summary)).toContain('at most 1 was waiting on I/O or sleeping at once');
  });

  it('draws a lane per thread and task and every span with its state', () => {
    expect(html.match(/data-testid="timeline-lane"/g)).toHaveLength(11);
    expect(html).toContain(`data-lane-label="Task fetch_panel(&#x27;panel-9&#x27;)"`);
    expect(html.match(/data-testid="timeline-span"/g)).toHaveLength(serialFetchTimeline().spans.length);
    expect(html.match(/data-state="waiting-io"/g)).toHaveLength(10);
  });

  it('has a legend of the states, zoom buttons and the Perfetto download', () => {
    expect(text(html)).toContain('waiting on a lock');
    expect(text(html)).toContain('Reset zoom');
    expect(html).toContain('href="/api/jobs/j1/artifacts/trace.json"');
    expect(text(html)).toContain('ui.perfetto.dev');
  });

  it('draws 20 000 spans as at most one rectangle per pixel of each lane', () => {
    const dense = renderToStaticMarkup(createElement(TimelineView, { timeline: denseTimeline(20_000) }));
    const rects = dense.match(/data-testid="timeline-span"/g)?.length ?? 0;
    expect(rects).toBeGreaterThan(100);
    expect(rects).toBeLessThanOrEqual(4 * 900);
  });
});

describe('sampled profile helpers', () => {
  const profile = threadsSampledProfile();

  it('groups threads under their process, busiest first', () => {
    const [group] = sampledRows.threadsByProcess(profile);
    expect(group?.threads.map((t) => t.name)).toHaveLength(5);
  });

  it('finds the hottest learner function and every thread it ran in', () => {
    const hottest = sampledRows.hottestFunction(profile);
    expect(hottest?.fn.name).toBe('crunch');
    expect(hottest?.threads.map((t) => t.name)).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4']);
    expect(hottest?.selfMs).toBe(((99 + 98 + 97 + 96) * 1000) / 100);
    expect(sampledRows.defaultThreadKey(profile)).toBe('p1/t2');
  });

  it("tabulates a thread's functions in ms, most self time first", () => {
    const rows = sampledRows.threadFunctionRows(profile, profile.threads[0]!);
    expect(rows.map((r) => [r.fn.name, r.selfMs, r.totalMs])).toEqual([
      ['join', 1000, 1000],
      ['<module>', 0, 1000],
      ['main', 0, 1000],
    ]);
  });

  it('lists names as a sentence', () => {
    expect(sampledRows.nameList(['a'])).toBe('a');
    expect(sampledRows.nameList(['a', 'b'])).toBe('a and b');
    expect(sampledRows.nameList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});

describe('SampledProfileView', () => {
  const html = renderToStaticMarkup(
    createElement(SampledProfileView, {
      sampled: threadsSampledProfile(),
      timeline: denseTimeline(400),
      artifactsBase: '/api/jobs/j2/artifacts',
      artifacts: ['sampled.speedscope.json', 'trace.json'],
      onSelectFunction: () => undefined,
    }),
  );

  it('names the hot function, the threads it ran in and the sampling rate', () => {
    expect(text(html)).toContain('Your hottest function is crunch (main.py:5)');
    expect(text(html)).toContain('in threads worker-1, worker-2, worker-3 and 1 more');
    expect(text(html)).toContain('py-spy 0.4.3, 100 samples/s: 500 samples');
  });

  it('has a row per thread with on-CPU, idle and GIL share, and the chosen thread’s flame graph', () => {
    const table = html.slice(html.indexOf('data-testid="sampled-threads"'));
    expect(table.match(/data-testid="sampled-thread"/g)).toHaveLength(5);
    expect(text(table)).toContain('MainThread');
    expect(text(table)).toContain('25%');
    expect(html).toContain('data-name="crunch"');
    expect(html).toContain('data-testid="timeline-chart"');
    expect(html).toContain('href="/api/jobs/j2/artifacts/sampled.speedscope.json"');
  });
});

describe('memray', () => {
  it('charges memory to the innermost learner function on its stack', () => {
    const owners = peakOwners(hoardMemray().peakTree);
    expect(owners.map((o) => [o.frame.name, o.bytes / 1024 / 1024])).toEqual([
      ['hoard', 40],
      ['load_config', 2],
    ]);
  });

  const html = renderToStaticMarkup(
    createElement(MemrayView, {
      memray: hoardMemray(),
      artifactsBase: '/api/jobs/j3/artifacts',
      artifacts: ['memray.bin'],
    }),
  );

  it('states the peak and the function holding most of it', () => {
    expect(text(html)).toContain(
      'At the peak, 42.0 MiB was in use in 1,200 allocations; the most under your function hoard (main.py:6): 40.0 MiB.',
    );
    expect(text(html)).toContain('120 MiB');
  });

  it('draws the peak as a flame graph in bytes with native frames marked, and lists leaks', () => {
    expect(html).toContain('data-name="hoard"');
    expect(html).toContain('data-name="malloc [native]"');
    expect(html).toContain('pv-frame-native');
    expect(html).toContain('of the peak');
    expect(html.match(/<tr/g)?.length).toBe(1 + 2);
    expect(html).toContain('href="/api/jobs/j3/artifacts/memray.bin"');
    expect(text(html)).toContain('memray flamegraph memray.bin');
  });
});

describe('ConcurrencyProfileView', () => {
  it('says what is missing when the profiler recorded nothing', () => {
    const result = {
      profiler: 'timeline',
      run: { message: 'The program was stopped after 10 s.' },
      timeline: null,
    } as unknown as ProfileResultView;
    const html = renderToStaticMarkup(createElement(ConcurrencyProfileView, { result }));
    expect(text(html)).toBe('No timeline was recorded: The program was stopped after 10 s.');
  });
});

describe('a verification check with a timeline or a flame graph at the peak', () => {
  // A failed report of three checks: one with a timeline, one with a peak, one saying why it has none.
  const report: VerifyReport = {
    exercise: 'blocking-in-async',
    schema: 'perflab.verify/2',
    isolated: true,
    sandbox: 'bwrap',
    status: 'failed',
    passed: false,
    graded: 'your code',
    wallMs: 4200,
    checks: [
      {
        id: 'overlap',
        kind: 'overlap',
        title: 'The fetches overlap',
        passed: false,
        status: 'failed',
        sentence: 'Ten fetches took 1.02 s: one after another.',
        evidence: {
          wallS: 1.02,
          timeline: serialFetchTimeline(),
          concurrency: 'Of 10 tasks, at most 1 was waiting on I/O at once.',
          timelineSource: 'the judged run, sampled at 100 Hz',
        },
      } as CheckResult,
      {
        id: 'memory',
        kind: 'memory-per-instance',
        title: 'Records are small',
        passed: false,
        status: 'failed',
        sentence: 'Each record takes 312 bytes.',
        evidence: {
          bytesPerInstance: 312,
          memoryPeak: { peakBytes: hoardMemray().peakBytes, tree: hoardMemray().peakTree },
        },
      } as CheckResult,
      {
        id: 'race',
        kind: 'race',
        title: 'No lost updates',
        passed: true,
        status: 'passed',
        sentence: 'Every run counted to 400 000.',
        evidence: { runs: 5, timelineMissing: 'py-spy saw no call of worker.' },
      } as CheckResult,
    ],
  };
  const html = renderToStaticMarkup(createElement(VerifyReportView, { report }));
  const checks = html.split('data-testid="verify-check"').slice(1);

  it('shows the concurrency sentence and the timeline in place of their raw fields', () => {
    expect(text(checks[0]!)).toContain('Of 10 tasks, at most 1 was waiting on I/O at once.');
    expect(checks[0]).toContain('data-testid="check-timeline"');
    expect(text(checks[0]!)).toContain('Timeline of the run (the judged run, sampled at 100 Hz)');
    expect(text(checks[0]!)).not.toContain('timeline source');
    expect(text(checks[0]!)).toContain('wall (s)');
  });

  it('draws a memory check’s peak as a flame graph in bytes', () => {
    expect(checks[1]).toContain('data-testid="check-memory-peak"');
    expect(checks[1]).toContain('data-name="hoard"');
    expect(text(checks[1]!)).toContain('Memory at the peak: 42.0 MiB');
  });

  it('says why a view is missing', () => {
    expect(text(checks[2]!)).toContain('No timeline: py-spy saw no call of worker.');
  });
});
