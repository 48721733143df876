import { writeFile } from 'node:fs/promises';
import { displayName } from '../../core/names.js';
import { toSpeedscope, type ProfileSortKey } from '../../core/profile-model.js';
import { runProfilePipeline } from '../../runner/profile-pipeline.js';
import { UsageError } from '../errors.js';
import { colour } from '../format.js';
import { Progress } from '../progress.js';
import { findHotSpot, renderLines, renderMemory, renderProfile } from '../render-profile.js';
import { readScriptInput } from '../script-input.js';
import * as shared from '../shared.js';
import { checkScript } from '../source-check.js';
import {
  chosenProfiler,
  concurrencySettings,
  profileConcurrency,
  type ConcurrencyFlags,
} from './profile-concurrency.js';

export interface ProfileOptions extends shared.CommonOptions, ConcurrencyFlags {
  lines?: boolean;
  memory?: boolean;
  memoryLimit?: string;
  sort?: string;
  top?: string;
  out?: string;
  stdin?: string;
}

const SORT_KEYS: ProfileSortKey[] = ['cumulative', 'tottime', 'calls'];

function outKind(path: string): 'prof' | 'speedscope' | 'json' {
  if (path.endsWith('.trace.json') || path.endsWith('.bin'))
    throw new UsageError(
      `cProfile writes no ${path.endsWith('.bin') ? '.bin' : '.trace.json'}: add --${path.endsWith('.bin') ? 'memray' : 'timeline (or --sample)'} for that file, or use .prof, .speedscope.json or .json`,
    );
  if (path.endsWith('.prof')) return 'prof';
  if (path.endsWith('.speedscope.json')) return 'speedscope';
  if (path.endsWith('.json')) return 'json';
  throw new UsageError(
    `--out must end in .prof (pstats), .speedscope.json (speedscope) or .json (perflab's document), not "${path}"`,
  );
}

export async function profileCommand(file: string, args: string[], options: ProfileOptions): Promise<number> {
  const profiler = chosenProfiler(options);
  await checkScript(file);
  const sort = (options.sort ?? 'cumulative') as ProfileSortKey;
  if (!SORT_KEYS.includes(sort))
    throw new UsageError(`--sort takes ${SORT_KEYS.join(', ')}, not "${options.sort}"`);
  const top = shared.parseIntegerOption('--top', options.top) ?? 20;
  const concurrency = profiler ? concurrencySettings(profiler, options, top) : null;
  const out = options.out && !concurrency ? { path: options.out, kind: outKind(options.out) } : null;
  const limits = shared.limitsFromOptions({
    timeout: options.timeout,
    memory: options.memoryLimit,
    memoryFlag: '--memory-limit',
  });
  const collected = await readScriptInput(file, options.stdin);

  return shared.withSession(options, async ({ runner }) => {
    if (concurrency) {
      const { files, entry, stdin } = collected;
      return profileConcurrency(runner, { files, entry, argv: args, stdin, limits }, concurrency);
    }
    const progress = new Progress(`profiling ${collected.entry}`, !options.json);
    const echo = options.json
      ? undefined
      : (chunk: { stream: 'stdout' | 'stderr'; text: string }) =>
          progress.write(chunk.stream === 'stdout' ? process.stdout : process.stderr, chunk.text);
    const { files, entry, stdin } = collected;
    const { profile, lines, memory } = await runProfilePipeline(
      runner,
      { files, entry, argv: args, stdin, limits, onOutput: echo },
      {
        lines: options.lines === true,
        memoryTop: options.memory ? top : null,
        onStep: (step) =>
          progress.setLabel(
            step.step === 'lines'
              ? `line-profiling ${step.functions.join(', ')}`
              : `tracing allocations in ${collected.entry}`,
          ),
      },
    );
    const doc = profile.document;
    progress.stop();

    const hotSpot = doc ? findHotSpot(doc) : null;
    const document = {
      schema: 'perflab.cli.profile/1',
      hotSpot: hotSpot
        ? {
            name: displayName(hotSpot.fn),
            functionId: hotSpot.fn.id,
            ncalls: hotSpot.fn.ncalls,
            shareOfTotal: hotSpot.shareOfTotal,
          }
        : null,
      profile,
      lines,
      memory,
    };
    if (out && doc) {
      if (out.kind === 'prof') await writeFile(out.path, Buffer.from(doc.pstatsBase64, 'base64'));
      else if (out.kind === 'speedscope')
        await writeFile(out.path, JSON.stringify(toSpeedscope(doc.functions, doc.edges, collected.entry)));
      else await writeFile(out.path, JSON.stringify(document, null, 2));
    }
    if (options.json) {
      process.stdout.write(JSON.stringify(document, null, 2) + '\n');
    } else {
      if (doc) console.log('\n' + renderProfile(doc, sort, top));
      if (lines?.document) console.log(renderLines(lines.document.functions));
      else if (lines) console.log(colour.yellow(`\nline profiling failed: ${lines.message}`));
      if (memory?.document) console.log(renderMemory(memory.document, Math.min(top, 10)));
      else if (memory) console.log(colour.yellow(`\nmemory tracing failed: ${memory.message}`));
      if (out && doc) console.log(colour.dim(`\nwrote ${out.path}`));
      process.stderr.write('\n' + shared.renderSummary(profile) + '\n');
    }
    const worst = [profile, lines, memory].find((r) => r && r.status !== 'ok') ?? profile;
    return shared.exitCodeFor(worst);
  });
}
