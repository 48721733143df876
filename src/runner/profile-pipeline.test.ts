/**
 * The profile pipeline's order of runs, decided from the profile report alone: a runner that
 * records each request and answers with a made-up report (the sandbox runs are tested in
 * src/server and src/cli through real Python).
 */
import { describe, expect, it } from 'vitest';
import type { HarnessMode, ProfiledFunction } from '../core/documents.js';
import { runProfilePipeline, type ProfileStep } from './profile-pipeline.js';
import type { JobRequest, JobStatus, Runner } from './runner.js';

function fn(
  id: number,
  name: string,
  tottimeMs: number,
  origin: ProfiledFunction['origin'],
): ProfiledFunction {
  const timings = { ncalls: 1, primitiveCalls: 1, tottimeMs, cumtimeMs: tottimeMs };
  return { id, name, file: 'main.py', line: id * 10, origin, ...timings };
}

const FUNCTIONS = [
  fn(1, '<module>', 1, 'user'),
  fn(2, 'slow', 50, 'user'),
  fn(3, 'medium', 20, 'user'),
  fn(4, 'quick', 5, 'user'),
  fn(5, 'tiny', 1, 'user'),
  fn(6, 'sorted', 90, 'builtin'),
];

/** A runner whose profile run ends with `status` and a document of `functions` (none: null). */
function recordingRunner(status: JobStatus, functions: ProfiledFunction[] | null = FUNCTIONS) {
  const requests: JobRequest<HarnessMode>[] = [];
  const runner = {
    run: async (request: JobRequest<HarnessMode>) => {
      requests.push(request);
      const doc =
        request.mode === 'profile'
          ? functions && { mode: 'profile', functions, edges: [] }
          : { mode: request.mode };
      return { mode: request.mode, status: request.mode === 'profile' ? status : 'ok', document: doc };
    },
  } as unknown as Runner;
  return { runner, requests };
}

const program = { files: [{ path: 'main.py', content: 'pass' }], entry: 'main.py', onOutput: () => {} };

describe('runProfilePipeline', () => {
  it('after a clean profile: times the lines of the three hottest functions of the learner, then traces memory', async () => {
    const { runner, requests } = recordingRunner('ok');
    const steps: ProfileStep[] = [];
    const result = await runProfilePipeline(runner, program, {
      lines: true,
      memoryTop: 7,
      onStep: (step) => steps.push(step),
    });
    expect(requests.map((r) => r.mode)).toEqual(['profile', 'lines', 'memory']);
    expect(result.hot.map((h) => h.fn.name)).toEqual(['slow', 'medium', 'quick']);
    expect(requests[1]?.modeOptions?.lines?.targets.map((t) => t.name)).toEqual(['slow', 'medium', 'quick']);
    expect(requests[2]?.modeOptions?.memory).toEqual({ topSites: 7, topTypes: 7 });
    expect(steps).toEqual([{ step: 'lines', functions: ['slow', 'medium', 'quick'] }, { step: 'memory' }]);
    expect(result.lines?.mode).toBe('lines');
    expect(result.memory?.mode).toBe('memory');
  });

  it('gives the program output of the profiled run only: the later runs print the same again', async () => {
    const { runner, requests } = recordingRunner('ok');
    await runProfilePipeline(runner, program, { lines: true, memoryTop: 3 });
    expect(requests[0]?.onOutput).toBe(program.onOutput);
    expect(requests[1]?.onOutput).not.toBe(program.onOutput);
    expect(requests[2]?.onOutput).not.toBe(program.onOutput);
    expect(requests[1]?.onOutput).toBeTypeOf('function');
  });

  it('runs only the profile when the program failed, had no document, or nothing more is asked', async () => {
    for (const [status, functions, lines, memoryTop] of [
      ['program-failed', FUNCTIONS, true, 15],
      ['ok', null, true, 15],
      ['ok', FUNCTIONS, false, null],
    ] as const) {
      const { runner, requests } = recordingRunner(status, functions);
      const result = await runProfilePipeline(runner, program, { lines, memoryTop });
      expect(requests.map((r) => r.mode)).toEqual(['profile']);
      expect(result.lines).toBeNull();
      expect(result.memory).toBeNull();
    }
  });

  it('skips line timings when no function is the learner’s', async () => {
    const { runner, requests } = recordingRunner('ok', [FUNCTIONS[5] as ProfiledFunction]);
    const result = await runProfilePipeline(runner, program, { lines: true, memoryTop: 5 });
    expect(result.hot).toEqual([]);
    expect(requests.map((r) => r.mode)).toEqual(['profile', 'memory']);
  });
});
