import Table from 'cli-table3';
import { HARD_CAPS } from '../../sandbox/limits.js';
import { checkScript } from '../source-check.js';
import * as shared from '../shared.js';
import { colour } from '../format.js';
import { readScriptInput } from '../script-input.js';
import { UsageError } from '../errors.js';
import { Progress } from '../progress.js';

export interface RunOptions extends shared.CommonOptions {
  stdin?: string;
  repeat?: string;
  switchInterval?: string;
  memory?: string;
}

const MAX_REPEAT = 1000;

export async function runCommand(file: string, args: string[], options: RunOptions): Promise<number> {
  await checkScript(file);
  const repeat = shared.parseIntegerOption('--repeat', options.repeat);
  if (repeat !== undefined && repeat > MAX_REPEAT) {
    throw new UsageError(`--repeat is at most ${MAX_REPEAT}`);
  }
  const limits = shared.limitsFromOptions(options);
  const collected = await readScriptInput(file, options.stdin);
  const { stdin } = collected;
  const env: Record<string, string> = {};
  if (options.switchInterval) env.PERFLAB_SWITCH_INTERVAL_S = options.switchInterval;

  return shared.withSession(options, async ({ runner }) => {
    if (repeat !== undefined) {
      const perRunS = limits.wallS ?? 10;
      const progress = new Progress(`running ${collected.entry} ${repeat} times`, !options.json);
      const report = await runner.run({
        mode: 'repeat',
        files: collected.files,
        entry: collected.entry,
        argv: args,
        stdin,
        env,
        limits: { ...limits, wallS: Math.min(HARD_CAPS.wallS, perRunS * repeat + 5) },
        modeOptions: { repeat: { times: repeat, timeoutS: perRunS } },
      });
      progress.stop();
      if (options.json) {
        process.stdout.write(JSON.stringify({ schema: 'perflab.cli.repeat/1', ...report }, null, 2) + '\n');
        return shared.exitCodeFor(report);
      }
      if (report.document) {
        const outcomes = report.document.outcomes;
        console.log(
          `${collected.entry} ran ${report.document.times} times: ${outcomes.length} distinct outcome${outcomes.length === 1 ? '' : 's'}` +
            (outcomes.length > 1 ? colour.yellow(' — the result depends on timing (a race?)') : ''),
        );
        const table = new Table({ head: ['count', 'exit', 'stdout'], style: { head: [], border: [] } });
        for (const outcome of outcomes) {
          const stdout = outcome.stdout.length > 200 ? `${outcome.stdout.slice(0, 200)}…` : outcome.stdout;
          table.push([
            outcome.count,
            outcome.exitCode ?? 'signal',
            stdout.trimEnd() || colour.dim('(empty)'),
          ]);
        }
        console.log(table.toString());
      }
      process.stderr.write(shared.renderSummary(report) + '\n');
      return shared.exitCodeFor(report);
    }

    const report = await runner.run({
      mode: 'run',
      files: collected.files,
      entry: collected.entry,
      argv: args,
      stdin,
      env,
      limits,
      onOutput: options.json
        ? undefined
        : (chunk) => (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.text),
    });
    if (options.json) {
      process.stdout.write(JSON.stringify({ schema: 'perflab.cli.run/1', ...report }, null, 2) + '\n');
    } else {
      const lastChunk = report.outcome.output.at(-1);
      if (lastChunk && !lastChunk.text.endsWith('\n')) process.stderr.write('\n');
      process.stderr.write(shared.renderSummary(report) + '\n');
    }
    return shared.exitCodeFor(report);
  });
}
