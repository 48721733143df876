/**
 * What `perflab run` and `perflab profile` read before they start a script: its stdin (from
 * --stdin) and the files of its folder, saying on stderr what was left out and why.
 */
import { collectScriptFiles } from '../runner/collect-files.js';
import type { JobFile, StdinSpec } from '../sandbox/types.js';
import { colour } from './format.js';
import { stdinFromOption } from './shared.js';

export interface ScriptInput {
  files: JobFile[];
  entry: string;
  stdin: StdinSpec;
}

export async function readScriptInput(file: string, stdinOption: string | undefined): Promise<ScriptInput> {
  const stdin = await stdinFromOption(stdinOption);
  const collected = await collectScriptFiles(file);
  for (const warning of collected.warnings) process.stderr.write(colour.yellow(`warning: ${warning}\n`));
  return { files: collected.files, entry: collected.entry, stdin };
}
