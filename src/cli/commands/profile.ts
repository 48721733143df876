import { writeFile } from 'node:fs/promises';
import { displayName } from '../../core/names.js';
import { hotUserFunctions, toSpeedscope, type ProfileSortKey } from '../../core/profile-model.js';
import { collectScriptFiles } from '../../runner/collect-files.js';
import { UsageError } from '../errors.js';
import { colour } from '../format.js';
import { Progress } from '../progress.js';
import { findHotSpot, renderLines, renderMemory, renderProfile } from '../render-profile.js';
import { checkScript } from '../source-check.js';
import {
  exitCodeFor,
  limitsFromOptions,
  parseIntegerOption,
  renderSummary,
  stdinFromOption,
  withSession,
  type CommonOptions,
} from '../shared.js';

export interface ProfileOptions extends CommonOptions {
  lines?: boolean;
  memory?: boolean;
  memoryLimit?: string;
  sort?: string;
  top?: string;
  out?: string;
  stdin?: string;
}

const SORT_KEYS: ProfileSortKey[] = ['cumulative', 'tottime', 'calls'];
/** How many of the learner's functions get line-level timings. */
const LINE_PROFILED_FUNCTIONS = 3;

function outKind(path: string): 'prof' | 'speedscope' | 'json' {
  if (path.endsWith('.prof')) return 'prof';
  if (path.endsWith('.speedscope.json')) return 'speedscope';
  if (path.endsWith('.json')) return 'json';
  throw new UsageError(
    `--out must end in .prof (pstats), .speedscope.json (speedscope) or .json (perflab's document), not "${path}"`,
  );
}

export async function profileCommand(file: string, args: string[], options: ProfileOptions): Promise<number> {
  await checkScript(file);
  const sort = (options.sort ?? 'cumulative') as ProfileSortKey;
  if (!SORT_KEYS.includes(sort))
    throw new UsageError(`--sort takes ${SORT_KEYS.join(', ')}, not "${options.sort}"`);
  const top = parseIntegerOption('--top', options.top) ?? 20;
  const out = options.out ? { path: options.out, kind: outKind(options.out) } : null;
  const limits = limitsFromOptions({
    timeout: options.timeout,
    memory: options.memoryLimit,
    memoryFlag: '--memory-limit',
  });
  const stdin = await stdinFromOption(options.stdin);
  const collected = await collectScriptFiles(file);
  for (const warning of collected.warnings) process.stderr.write(colour.yellow(`warning: ${warning}\n`));

  return withSession(options, async ({ runner }) => {
    const progress = new Progress(`profiling ${collected.entry}`, !options.json);
    const echo = options.json
      ? undefined
      : (chunk: { stream: 'stdout' | 'stderr'; text: string }) =>
          progress.write(chunk.stream === 'stdout' ? process.stdout : process.stderr, chunk.text);
    const base = { files: collected.files, entry: collected.entry, argv: args, stdin, limits };
    const profile = await runner.run({ ...base, mode: 'profile', onOutput: echo });
    const doc = profile.document;

    let lines = null;
    let memory = null;
    if (doc && profile.status === 'ok') {
      if (options.lines) {
        const targets = hotUserFunctions(doc.functions, doc.edges, LINE_PROFILED_FUNCTIONS).map(({ fn }) => ({
          file: fn.file,
          line: fn.line,
          name: fn.name,
        }));
        if (targets.length > 0) {
          progress.setLabel(`line-profiling ${targets.map((t) => t.name).join(', ')}`);
          lines = await runner.run({ ...base, mode: 'lines', modeOptions: { lines: { targets } } });
        }
      }
      if (options.memory) {
        progress.setLabel(`tracing allocations in ${collected.entry}`);
        memory = await runner.run({
          ...base,
          mode: 'memory',
          modeOptions: { memory: { topSites: top, topTypes: top } },
        });
      }
    }
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
      process.stderr.write('\n' + renderSummary(profile) + '\n');
    }
    const worst = [profile, lines, memory].find((r) => r && r.status !== 'ok') ?? profile;
    return exitCodeFor(worst);
  });
}
