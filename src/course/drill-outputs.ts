/**
 * Recorded tool output of code-reading drills: course/drills/outputs/<drill-id>.json, produced
 * by running the drill's program (course/drills/programs/NAME.py) with perflab. The loader
 * reads and validates each one; a missing, invalid or stale file is a `FILE:LINE: message`
 * problem, and the drill then shows no output.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DrillOutput } from '../core/drill-api.js';
import { drillCommand, recordedDrillOutputSchema, type DrillOutputSpec, type RecordedDrillOutput } from '../core/drill-expect.js';
import type { LoadedDrill } from './load.js';

/** The flag of `perflab check` that rewrites the recorded files (named in problems). */
export const RECORD_FLAG = '--record-drill-outputs';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function drillsDirOf(drill: Pick<LoadedDrill, 'file'>): string {
  return join(drill.file, '..');
}

export function recordedOutputPath(drill: Pick<LoadedDrill, 'file' | 'id'>): string {
  return join(drillsDirOf(drill), 'outputs', `${drill.id}.json`);
}

export function programPath(drill: Pick<LoadedDrill, 'file'>, spec: DrillOutputSpec): string {
  return join(drillsDirOf(drill), spec.program);
}

/** 1-based line of the drill's `- id:` line in its YAML file (1 when not found). */
export function drillLine(yamlText: string, id: string): number {
  const lines = yamlText.split(/\r?\n/);
  const index = lines.findIndex((line) => new RegExp(`^-\\s+id:\\s*["']?${id}["']?\\s*$`).test(line));
  return index + 1 || 1;
}

export type RecordedOutputCheck =
  | { status: 'current'; recorded: RecordedDrillOutput }
  | { status: 'missing' | 'invalid' | 'stale'; problem: string; recorded: RecordedDrillOutput | null };

/**
 * Reads the drill's recorded output and says whether it belongs to the program and command
 * as they are now. `problem` is a sentence without the `FILE:LINE:` prefix.
 */
export async function checkRecordedOutput(drill: LoadedDrill & { output: DrillOutputSpec }, programSource: string): Promise<RecordedOutputCheck> {
  const path = recordedOutputPath(drill);
  const shown = relative(drillsDirOf(drill), path);
  const again = `run \`perflab check ${RECORD_FLAG}\` to record it`;
  if (!existsSync(path)) return { status: 'missing', problem: `drill "${drill.id}" has no recorded output (${shown}); ${again}`, recorded: null };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { status: 'invalid', problem: `${shown} is not JSON (${(error as Error).message}); ${again}`, recorded: null };
  }
  const parsed = recordedDrillOutputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the document';
    return { status: 'invalid', problem: `${shown} is not a valid drill output: ${where}: ${issue?.message}; ${again}`, recorded: null };
  }
  const recorded = parsed.data;
  if (recorded.drill !== drill.id) {
    return { status: 'invalid', problem: `${shown} was recorded for drill "${recorded.drill}", not "${drill.id}"; ${again}`, recorded: null };
  }
  if (recorded.result.kind !== drill.output.command) {
    return { status: 'stale', problem: `${shown} holds ${recorded.result.kind} output, but the drill asks for ${drill.output.command}; ${again}`, recorded };
  }
  if (recorded.programSha256 !== sha256(programSource)) {
    return { status: 'stale', problem: `${shown} is stale: ${drill.output.program} changed since it was recorded; ${again}`, recorded };
  }
  const command = drillCommand(drill.output);
  if (recorded.command !== command) {
    return { status: 'stale', problem: `${shown} is stale: recorded with \`${recorded.command}\`, the drill now asks for \`${command}\`; ${again}`, recorded };
  }
  return { status: 'current', recorded };
}

/** The DrillOutput the API serves: the recorded document without its bookkeeping fields. */
export function servedOutput(recorded: RecordedDrillOutput): DrillOutput {
  const { schema: _schema, drill: _drill, programSha256: _hash, ...output } = recorded;
  return output;
}

/**
 * Fills `recordedOutput` of every drill with an `output:` field, and reports what is wrong as
 * `FILE:LINE: message` (the line of the drill's `- id:`).
 */
export async function attachRecordedOutputs(drills: LoadedDrill[], problems: string[]): Promise<void> {
  const yamlTexts = new Map<string, string>();
  for (const drill of drills) {
    const spec = drill.output;
    if (!spec) continue;
    if (!yamlTexts.has(drill.file)) yamlTexts.set(drill.file, await readFile(drill.file, 'utf8'));
    const at = `${drill.file}:${drillLine(yamlTexts.get(drill.file) as string, drill.id)}`;
    if (drill.kind !== 'code-reading') {
      problems.push(`${at}: drill "${drill.id}": only code-reading drills show tool output`);
      continue;
    }
    const program = programPath(drill, spec);
    if (!existsSync(program)) {
      problems.push(`${at}: drill "${drill.id}": output.program ${spec.program} does not exist`);
      continue;
    }
    const checked = await checkRecordedOutput({ ...drill, output: spec }, await readFile(program, 'utf8'));
    if (checked.status === 'current') drill.recordedOutput = servedOutput(checked.recorded);
    else problems.push(`${at}: ${checked.problem}`);
  }
}
