import { buildTimeitReport } from '../../core/timeit-report.js';
import { collectScriptFiles } from '../../runner/collect-files.js';
import { EXIT, UsageError } from '../errors.js';
import { renderTimeitTable } from '../render-timeit.js';
import { Progress } from '../progress.js';
import { checkScript } from '../source-check.js';
import {
  exitCodeFor,
  limitsFromOptions,
  parseIntegerOption,
  renderSummary,
  withSession,
  type CommonOptions,
} from '../shared.js';

export interface TimeitOptions extends CommonOptions {
  rounds?: string;
  gc?: boolean;
  minBatch?: string;
}

export async function timeitCommand(file: string, names: string[], options: TimeitOptions): Promise<number> {
  await checkScript(file);
  if (names.length < 2)
    throw new UsageError('timeit compares two or more candidates: perflab timeit FILE NAME NAME...');
  const rounds = parseIntegerOption('--rounds', options.rounds) ?? 5;
  if (rounds > 100) throw new UsageError('--rounds is at most 100');
  const minBatchS = Number(options.minBatch ?? 0.2);
  if (!(minBatchS > 0 && minBatchS <= 5)) throw new UsageError('--min-batch takes seconds between 0 and 5');
  const limits = limitsFromOptions(options, { wallS: Math.min(900, 60 + rounds * names.length * 10) });
  const collected = await collectScriptFiles(file);

  return withSession(options, async ({ runner }) => {
    const progress = new Progress(`timing ${names.join(' vs ')}`, !options.json);
    const report = await runner.run({
      mode: 'timeit',
      files: collected.files,
      entry: collected.entry,
      limits,
      modeOptions: { timeit: { candidates: names, rounds, minBatchS, gcEnabled: Boolean(options.gc) } },
    });
    progress.stop();
    // No comparison unless every candidate has samples (an empty list would leave no fastest).
    const comparison =
      report.document &&
      report.document.candidates.length > 0 &&
      report.document.candidates.every((c) => c.samplesS.length > 0)
        ? buildTimeitReport(report.document.candidates)
        : null;
    // A candidate that does not compile or raises is a mistake in the command line (the names
    // given), not the program failing: the harness names each one and why; exit status 2.
    const exitCode =
      report.status === 'setup-error' && report.document?.setupError?.kind === 'bad-job'
        ? EXIT.usage
        : exitCodeFor(report);
    if (options.json) {
      process.stdout.write(
        JSON.stringify({ schema: 'perflab.cli.timeit/1', comparison, ...report }, null, 2) + '\n',
      );
      return exitCode;
    }
    if (comparison && report.document) {
      console.log(
        `${collected.entry}: ${rounds} rounds, each candidate timed in a fresh process per round in shuffled order; ` +
          `garbage collection ${report.document.gcEnabled ? 'enabled' : 'disabled'} while timing (pass --gc to enable)`,
      );
      console.log(renderTimeitTable(comparison));
    }
    process.stderr.write(renderSummary(report) + '\n');
    return exitCode;
  });
}
