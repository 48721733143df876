/**
 * What `perflab drill` prints for the real course's code-reading questions: the program with
 * numbered lines and the recorded output in the same tables `perflab profile` and `perflab
 * timeit` print (function table, line timings, allocation sites, timeit comparison).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DrillOutput } from '../core/drill-api.js';
import { loadCourse, type LoadedDrill } from '../course/load.js';
import { ROOT } from './cli.test-support.js';
import { renderCounts, renderOutput } from './drill/render.js';

let recorded: (LoadedDrill & { recordedOutput: DrillOutput })[] = [];

beforeAll(async () => {
  const course = await loadCourse(join(ROOT, 'course'));
  recorded = course.drills.filter((d): d is LoadedDrill & { recordedOutput: DrillOutput } =>
    Boolean(d.recordedOutput),
  );
});

/** The first recorded output whose result holds `field` (a profile's lines, memory; timeit's report). */
function withField(kind: 'profile' | 'timeit', field: string): DrillOutput {
  const drill = recorded.find(
    (d) =>
      d.recordedOutput.result.kind === kind && (d.recordedOutput.result as Record<string, unknown>)[field],
  );
  if (!drill) throw new Error(`no recorded ${kind} output with ${field} in the course`);
  return drill.recordedOutput;
}

describe('code-reading output in the terminal', () => {
  it('shows the numbered program, the command and the function table of a recorded profile', () => {
    const output = withField('profile', 'profile');
    const text = renderOutput(output);
    const firstLine = output.program.source.split('\n')[0]!;
    expect(text).toContain(`┌─ ${output.program.name}`);
    expect(text).toMatch(new RegExp(`^\\s*1 │ ${firstLine.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(text).toContain(`$ ${output.command}`);
    expect(text).toMatch(/ncalls\s+tottime\s+percall\s+cumtime/);
    expect(text).toContain('Hot spot:');
  });

  it('shows line timings, allocation sites and timeit comparisons in their own tables', () => {
    expect(renderOutput(withField('profile', 'lines'))).toMatch(/Line timings — .*\n\s*line\s+hits\s+time/);
    expect(renderOutput(withField('profile', 'memory'))).toMatch(/size\s+blocks\s+where\s+source/);
    expect(renderOutput(withField('timeit', 'report'))).toMatch(/candidate.*loops.*min.*median.*fastest/s);
  });

  it('lays the counts out one row per module and a total', () => {
    const counts = { total: 3, new: 1, learning: 1, due: 1, known: 0, dueToday: 2 };
    const text = renderCounts({
      drills: [],
      counts,
      modules: [{ id: '01-measure', title: 'Measure', counts }],
      topics: [],
      settings: { targetRetention: 0.9 },
    });
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^module\s+questions\s+new\s+learning\s+due\s+known\s+due today$/),
      expect.stringMatching(/^01-measure\s+3\s+1\s+1\s+1\s+0\s+2$/),
      expect.stringMatching(/^all\s+3\s+1\s+1\s+1\s+0\s+2$/),
    ]);
  });
});
