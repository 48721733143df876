/**
 * Evidence views of the verification (issue 12): a concurrency check carries the timeline of
 * the grade job that judged it (py-spy on the host), a memory-per-instance check the memray
 * flame graph at the peak — display only, so a sampler that fails leaves every verdict as it
 * was. Real grader, real bubblewrap sandbox, real Python; the pure helpers on made-up input.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIMELINE_FORMAT, type Timeline } from '../core/concurrency/timeline.js';
import type { MemoryTreeNode } from '../core/documents.js';
import type { Exercise } from '../core/exercise.js';
import { learnerTree } from '../core/exercise-workspace.js';
import { renderVerifyReport } from '../cli/render-verify.js';
import { loadExercise } from '../exercises/load.js';
import { PROJECT_ROOT } from '../pyenv/paths.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { Runner } from '../runner/runner.js';
import { requireBwrap, runtime } from '../test-support/sandboxes.js';
import { callEntry, peakRunningProcesses } from './concurrency-evidence.js';
import { verifyExercise } from './engine.js';
import { memoryPeakEvidence, trimTree } from './memory-flame-evidence.js';

const queue = createMemoryQueue({ concurrency: 2 });
const sandbox = requireBwrap();
const runner = new Runner(sandbox, queue);
/** A runner whose sampler cannot start: py-spy is not where it is looked for. */
const noSampler = new Runner(sandbox, queue, { pySpyPath: '/nonexistent/py-spy' });
afterAll(() => queue.close());

const exercise = (id: string): Promise<Exercise> =>
  loadExercise(join(PROJECT_ROOT, 'course', 'exercises', id));

async function overlapCheck(solved: boolean, using = runner) {
  const asyncExercise = await exercise('blocking-in-async');
  const report = await verifyExercise(asyncExercise, solved ? asyncExercise.solution : {}, {
    runner: using,
    runtime,
    gradedLabel: 'test',
    seed: 7,
  });
  const check = report.checks.find((c) => c.id === 'fetches-overlap');
  if (check?.kind !== 'overlap') throw new Error('no overlap check');
  return check;
}

describe('the timeline of the grade job a concurrency check was judged on', () => {
  it('a failed overlap check shows the fetches one at a time', async () => {
    const check = await overlapCheck(false);
    expect(check.status).toBe('failed');
    const { timeline, concurrency, timelineSource, timelineMissing } = check.evidence;
    expect(timelineMissing).toBeUndefined();
    expect(timeline?.format).toBe(TIMELINE_FORMAT);
    expect(timeline?.source).toBe('py-spy');
    // The learner's program alone: one process, the event loop's thread doing every fetch.
    expect(new Set(timeline?.lanes.map((l) => l.pid)).size).toBe(1);
    expect(timeline?.spans.some((s) => s.stack.some((f) => f.name === 'render_dashboard'))).toBe(true);
    expect(concurrency).toMatch(
      /^the timeline of render_dashboard shows at most 1 of its \d+ threads? busy in a call at once/,
    );
    // The terminal prints the sentence and a lane chart under the check.
    const printed = renderVerifyReport({
      schema: 'perflab.verify/2',
      exercise: 'blocking-in-async',
      graded: 'starter',
      passed: false,
      checks: [check],
      sandbox: 'bubblewrap',
      isolated: true,
      wallMs: 1,
    });
    expect(printed).toContain(`    ${concurrency ?? '-'}`);
    expect(printed).toMatch(/^ {4}Timeline \(py-spy, sampled at 100 Hz\)/m);
    expect(timelineSource).toMatch(
      /^a separate call of dashboard\.render_dashboard .* py-spy on the host .* not sampled$/,
    );
  }, 180_000);

  it('the fixed program’s timeline shows the fetches waiting together', async () => {
    const check = await overlapCheck(true);
    expect(check.status).toBe('passed');
    const busy = Number(/at most (\d+) of/.exec(check.evidence.concurrency ?? '')?.[1]);
    expect(busy).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('a sampler that cannot start changes no verdict; the evidence says why the timeline is missing', async () => {
    const passed = await overlapCheck(true, noSampler);
    expect(passed.status).toBe('passed');
    expect(passed.evidence.timeline).toBeUndefined();
    expect(passed.evidence.timelineMissing).toMatch(/^no timeline: the sampler failed \(.+\)$/);
    const failed = await overlapCheck(false, noSampler);
    expect(failed.status).toBe('failed');
    expect(failed.evidence.maxInFlight).toBe(1);
  }, 240_000);
});

describe('the memory flame graph at the peak of a memory-per-instance check', () => {
  it('builds the check’s instances through its call under memray and keeps the tree (display only)', async () => {
    const pipeline = await exercise('import-pipeline');
    const check = pipeline.meta.checks.find((c) => c.kind === 'memory-per-instance');
    if (check?.kind !== 'memory-per-instance') throw new Error('no memory-per-instance check');
    const views = await memoryPeakEvidence(runner, pipeline, learnerTree(pipeline, {}), check);
    if (!('memoryPeak' in views)) throw new Error(views.memoryPeakMissing);
    const { peakBytes, tree, source } = views.memoryPeak;
    // 100 000 records with a __dict__ each: well over 10 MB at the peak.
    expect(peakBytes).toBeGreaterThan(10 * 1024 * 1024);
    const names: string[] = [];
    const walk = (node: MemoryTreeNode) => {
      if (node.frame) names.push(node.frame.name);
      node.children.forEach(walk);
    };
    walk(tree);
    expect(names).toContain('make_record');
    expect(source).toMatch(/memray.*100000 instances through record_factory\.make_record.*display only/);
    // The terminal names the stack that holds most of it, in the learner's code.
    const printed = renderVerifyReport({
      schema: 'perflab.verify/2',
      exercise: 'import-pipeline',
      graded: 'starter',
      passed: false,
      checks: [
        {
          id: check.id,
          kind: 'memory-per-instance',
          title: 'compact',
          passed: false,
          status: 'failed',
          sentence: 'too big',
          evidence: views.memoryPeak ? { memoryPeak: views.memoryPeak } : {},
        },
      ],
      sandbox: 'bubblewrap',
      isolated: true,
      wallMs: 1,
    });
    expect(printed).toMatch(/memory at the peak: [\d.]+ MiB, most under \S+ \(record_factory\.py:\d+\)/);
  }, 120_000);

  it('a failed memray run leaves a sentence, not an error', async () => {
    const pipeline = await exercise('import-pipeline');
    const check = pipeline.meta.checks.find((c) => c.kind === 'memory-per-instance');
    if (check?.kind !== 'memory-per-instance') throw new Error('no memory-per-instance check');
    const broken = { ...check, call: 'record_factory.no_such_function' };
    const views = await memoryPeakEvidence(runner, pipeline, learnerTree(pipeline, {}), broken);
    expect('memoryPeakMissing' in views && views.memoryPeakMissing).toMatch(/^no flame graph: /);
  }, 120_000);
});

describe('pure helpers', () => {
  const node = (name: string, bytes: number, children: MemoryTreeNode[] = []): MemoryTreeNode => ({
    frame: { name, file: 'x.py', line: 1, origin: 'user', native: false },
    bytes,
    allocations: 1,
    children,
  });

  it('trimTree keeps the largest nodes, every kept node’s parent, and counts what it cut', () => {
    const root = node('root', 100, [
      node('big', 70, [node('big-child', 60), node('tiny', 1)]),
      node('small', 30),
    ]);
    const { tree, trimmedNodes } = trimTree(root, 3);
    expect(trimmedNodes).toBe(2);
    expect(tree.children.map((c) => c.frame?.name)).toEqual(['big']);
    expect(tree.children[0]?.children.map((c) => c.frame?.name)).toEqual(['big-child']);
    expect(trimTree(root, 10)).toEqual({ tree: root, trimmedNodes: 0 });
  });

  it('peakRunningProcesses counts processes running at once, not threads of one process', () => {
    const lane = (pid: number, tid: number) => ({
      id: `p${pid}/t${tid}`,
      kind: 'thread' as const,
      label: `t${tid}`,
      pid,
      processLabel: `p${pid}`,
      tid,
      startUs: 0,
      endUs: 100,
    });
    const running = (laneIndex: number, startUs: number) => ({
      lane: laneIndex,
      startUs,
      durUs: 50,
      state: 'running' as const,
      label: 'denoise',
      stack: [],
    });
    const timeline = (lanes: ReturnType<typeof lane>[]): Timeline => ({
      format: TIMELINE_FORMAT,
      source: 'py-spy',
      sampleRateHz: 100,
      durationUs: 100,
      lanes,
      spans: [running(0, 0), running(1, 25)],
      summary: [],
      truncated: false,
      notes: [],
    });
    // Two threads of one process overlapping (the GIL sampler's slack): one process at a time.
    expect(peakRunningProcesses(timeline([lane(1, 1), lane(1, 2)]))).toBe(1);
    expect(peakRunningProcesses(timeline([lane(1, 1), lane(2, 2)]))).toBe(2);
  });

  it('callEntry calls the check’s function once on an input from its input function and a given seed', () => {
    const entry = callEntry(
      {
        id: 'o',
        kind: 'overlap',
        call: 'pkg.mod.fetch_all',
        input: 'tests/inputs.py:overlap_input',
        latencyMs: 100,
        requests: 4,
        slack: 1,
      },
      42,
    );
    expect(entry.path).toBe('_perflab_concurrency_evidence.py');
    expect(entry.content).toContain('importlib.import_module("_perflab_evidence.inputs"), "overlap_input"');
    expect(entry.content).toContain('make_input(random.Random(42))');
    expect(entry.content).toContain('getattr(importlib.import_module("pkg.mod"), "fetch_all")');
  });
});
