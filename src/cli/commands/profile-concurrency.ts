/**
 * `perflab profile --sample | --timeline | --memray`: the profilers that see a whole concurrent
 * program (py-spy's samples of every thread and process, VizTracer's timeline, memray's
 * allocations), run through runConcurrencyProfile like the web app's and the course's.
 */
import { writeFile } from 'node:fs/promises';
import type { ArtifactName } from '../../core/api.js';
import {
  DEFAULT_SAMPLE_RATE_HZ,
  runConcurrencyProfile,
  type ConcurrencyProfiler,
} from '../../runner/concurrency-profile.js';
import type { ProfiledProgram } from '../../runner/profile-pipeline.js';
import type { Runner } from '../../runner/runner.js';
import { EXIT, UsageError } from '../errors.js';
import { colour } from '../format.js';
import { Progress } from '../progress.js';
import { renderMemray } from '../render-memray.js';
import { renderSampled } from '../render-sampled.js';
import { renderConcurrency } from '../render-timeline.js';
import * as shared from '../shared.js';

/** py-spy's rate bounds: below 1 Hz says nothing; above 1000 Hz the sampler itself costs a core. */
const MIN_RATE_HZ = 1;
const MAX_RATE_HZ = 1000;

export interface ConcurrencyFlags {
  sample?: boolean;
  timeline?: boolean;
  memray?: boolean;
  rate?: string;
  /** Commander's `--no-gil`: false when given. */
  gil?: boolean;
  native?: boolean;
  lines?: boolean;
  memory?: boolean;
}

/** Which --out files each profiler writes: the extension picks the file. */
const OUT_KINDS: Record<
  ConcurrencyProfiler,
  { suffix: string; artifact: ArtifactName | null; what: string }[]
> = {
  sample: [
    { suffix: '.trace.json', artifact: 'trace.json', what: "py-spy's samples as a Chrome trace" },
    {
      suffix: '.speedscope.json',
      artifact: 'sampled.speedscope.json',
      what: 'speedscope, a profile per thread',
    },
    { suffix: '.json', artifact: null, what: "perflab's document" },
  ],
  timeline: [
    { suffix: '.trace.json', artifact: 'trace.json', what: "VizTracer's Chrome trace" },
    { suffix: '.json', artifact: null, what: "perflab's document" },
  ],
  memray: [
    { suffix: '.bin', artifact: 'memray.bin', what: "memray's capture" },
    { suffix: '.json', artifact: null, what: "perflab's document" },
  ],
};

/** Endings of files some profiler writes; with another profiler they are a mistake, not ".json". */
const OTHER_ENDINGS = ['.prof', '.trace.json', '.speedscope.json', '.bin'];

/**
 * The profiler the flags ask for, or null for cProfile. Flags that do not go together are a
 * usage error naming them; so are --rate/--no-gil without --sample and --native without --memray.
 */
export function chosenProfiler(flags: ConcurrencyFlags): ConcurrencyProfiler | null {
  const chosen = (['sample', 'timeline', 'memray'] as const).filter((p) => flags[p] === true);
  const cprofileOnly = (['lines', 'memory'] as const).filter((f) => flags[f] === true);
  if (chosen.length > 1)
    throw new UsageError(`--${chosen.join(' and --')} cannot be used together: choose one profiler per run`);
  const profiler = chosen[0] ?? null;
  if (profiler && cprofileOnly.length > 0)
    throw new UsageError(
      `--${cprofileOnly.join(' and --')} go${cprofileOnly.length === 1 ? 'es' : ''} with cProfile, not with --${profiler}`,
    );
  if (profiler !== 'sample' && flags.rate !== undefined) throw new UsageError('--rate goes with --sample');
  if (profiler !== 'sample' && flags.gil === false) throw new UsageError('--no-gil goes with --sample');
  if (profiler !== 'memray' && flags.native === true) throw new UsageError('--native goes with --memray');
  return profiler;
}

export function sampleRate(value: string | undefined): number {
  const rateHz = shared.parseIntegerOption('--rate', value) ?? DEFAULT_SAMPLE_RATE_HZ;
  if (rateHz < MIN_RATE_HZ || rateHz > MAX_RATE_HZ)
    throw new UsageError(`--rate must be between ${MIN_RATE_HZ} and ${MAX_RATE_HZ} Hz, not ${rateHz}`);
  return rateHz;
}

/** The file `--out PATH` writes for this profiler; a usage error naming the valid endings otherwise. */
export function concurrencyOut(
  profiler: ConcurrencyProfiler,
  path: string,
): { path: string; artifact: ArtifactName | null } {
  const kinds = OUT_KINDS[profiler];
  // Longest ending first: "x.trace.json" is a trace, never perflab's ".json" document.
  const ending = OTHER_ENDINGS.concat(kinds.map((k) => k.suffix))
    .sort((a, b) => b.length - a.length)
    .find((suffix) => path.endsWith(suffix));
  const kind = kinds.find((k) => k.suffix === ending);
  if (!kind)
    throw new UsageError(
      `with --${profiler}, --out must end in ${kinds.map((k) => `${k.suffix} (${k.what})`).join(', ')}; not "${path}"`,
    );
  return { path, artifact: kind.artifact };
}

/** What the spinner says until the run ends. */
function progressLabel(profiler: ConcurrencyProfiler, entry: string, rateHz: number): string {
  if (profiler === 'sample') return `sampling every thread of ${entry} with py-spy at ${rateHz} Hz`;
  if (profiler === 'timeline') return `recording every call of ${entry} on a timeline with VizTracer`;
  return `recording every allocation of ${entry} with memray`;
}

/** How to open each written file, said once after writing it. */
const OPEN_HINT: Record<ArtifactName | 'json', string> = {
  'trace.json': 'open it in https://ui.perfetto.dev or chrome://tracing',
  'sampled.speedscope.json': 'open it in https://www.speedscope.app',
  'memray.bin': 'open it with `memray flamegraph FILE` or `memray tree FILE`',
  'profile.prof': 'read it with pstats or snakeviz',
  'profile.speedscope.json': 'open it in https://www.speedscope.app',
  json: "perflab's own document",
};

/** The checked settings of one run: read before the sandbox starts, so bad flags cost nothing. */
export interface ConcurrencySettings {
  profiler: ConcurrencyProfiler;
  rateHz: number;
  gil: boolean;
  nativeTraces: boolean;
  out: { path: string; artifact: ArtifactName | null } | null;
  json: boolean;
  top: number;
}

export function concurrencySettings(
  profiler: ConcurrencyProfiler,
  flags: ConcurrencyFlags & { out?: string; json?: boolean },
  top: number,
): ConcurrencySettings {
  return {
    profiler,
    rateHz: sampleRate(flags.rate),
    gil: flags.gil !== false,
    nativeTraces: flags.native === true,
    out: flags.out ? concurrencyOut(profiler, flags.out) : null,
    json: flags.json === true,
    top,
  };
}

export async function profileConcurrency(
  runner: Runner,
  program: ProfiledProgram,
  run: ConcurrencySettings,
): Promise<number> {
  const { profiler, rateHz, out } = run;
  const progress = new Progress(progressLabel(profiler, program.entry, rateHz), !run.json);
  const echo = run.json
    ? undefined
    : (chunk: { stream: 'stdout' | 'stderr'; text: string }) =>
        progress.write(chunk.stream === 'stdout' ? process.stdout : process.stderr, chunk.text);
  const result = await runConcurrencyProfile(runner, { ...program, onOutput: echo }, profiler, {
    rateHz,
    gil: run.gil,
    nativeTraces: run.nativeTraces,
    onProgress: (line) => progress.setLabel(line),
  }).finally(() => progress.stop());

  // The run's report without its document and capture: those are what sampled/timeline/memray show.
  const { document: _document, sample: _sample, ...report } = result.report;
  const document = {
    schema: 'perflab.cli.profile/1',
    profiler,
    message: result.message,
    run: report,
    sampled: result.sampled,
    timeline: result.timeline,
    memray: result.memray,
    artifacts: Object.keys(result.artifacts),
  };
  let wrote: string | null = null;
  let missing = false;
  if (out) {
    const bytes = out.artifact
      ? result.artifacts[out.artifact]
      : Buffer.from(JSON.stringify(document, null, 2));
    if (bytes) {
      await writeFile(out.path, bytes);
      wrote = `wrote ${out.path}: ${OPEN_HINT[out.artifact ?? 'json']}`;
    } else {
      missing = true;
      wrote = `nothing written to ${out.path}: this run produced no ${out.artifact} (${result.message})`;
    }
  }
  if (run.json) {
    process.stdout.write(JSON.stringify(document, null, 2) + '\n');
  } else {
    if (result.sampled) console.log('\n' + renderSampled(result.sampled, run.top));
    if (result.timeline) console.log('\n' + renderConcurrency(result.timeline));
    if (result.memray) console.log('\n' + renderMemray(result.memray, Math.min(run.top, 10)));
    if (!result.sampled && !result.timeline && !result.memray)
      console.log(colour.yellow(`\n${result.message}`));
    if (wrote) console.log(colour.dim(`\n${wrote}`));
    process.stderr.write('\n' + shared.renderSummary(result.report) + '\n');
  }
  // Asked for a profile and got none (the sampler could not attach, say): not a success.
  const none = !result.sampled && !result.timeline && !result.memray;
  if (result.report.status === 'ok' && (none || missing)) return EXIT.programFailed;
  return shared.exitCodeFor(result.report);
}
