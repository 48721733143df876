/**
 * What every `perflab drill` flow works with: the drill service over the shared store, the
 * learner, the learner's commands, the clock and the output. Also the one way a flow waits
 * for a command, with a countdown when a part is timed.
 */
import type { DrillService } from '../../drills/types.js';
import { colour } from '../format.js';
import type { DrillCommand, DrillInput } from './input.js';

export interface DrillContext {
  service: DrillService;
  /** The local learner (LOCAL_LEARNER_ID): the one a local `perflab serve` serves. */
  learnerId: string;
  input: DrillInput;
  /** ms since the epoch; every service call is stamped with it. */
  now: () => number;
  /** Minutes east of UTC: where the learner's "today" ends (due today). */
  utcOffsetMinutes: number;
  print: (text: string) => void;
}

export interface FlowResult {
  /** Ctrl-C (or SIGINT) ended it: the command exits 130 after the summary. */
  interrupted: boolean;
}

/** quit, end of input and Ctrl-C all stop a flow (what was graded is already stored). */
export function stops(command: DrillCommand): command is { type: 'quit' | 'end' | 'interrupt' } {
  return command.type === 'quit' || command.type === 'end' || command.type === 'interrupt';
}

/** The single grade a command carries (1–4), else null. */
export function gradeOf(command: DrillCommand): 1 | 2 | 3 | 4 | null {
  if (command.type !== 'numbers' || command.values.length !== 1) return null;
  const [grade] = command.values;
  return grade === 1 || grade === 2 || grade === 3 || grade === 4 ? grade : null;
}

/** The line a terminal redraws once a second while a part is timed. */
function countdownLine(remainingMs: number): string {
  const seconds = Math.ceil(remainingMs / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return `\r\x1b[K${colour.dim('time left')} ${seconds <= 10 ? colour.red(clock) : colour.bold(clock)} `;
}

/**
 * The learner's next command; `timeout` once `deadlineMs` (ms since the epoch) has passed.
 * On a terminal the time left is redrawn every second; through a pipe nothing is printed
 * until the time is up (a script reads one line per event, not a clock).
 */
export async function nextCommand(context: DrillContext, deadlineMs?: number): Promise<DrillCommand> {
  if (deadlineMs === undefined) return context.input.next();
  // Only a terminal on both ends gets the live clock (a redirected stdout would collect the redraws).
  const live = context.input.keys && Boolean(process.stdout.isTTY);
  try {
    for (;;) {
      const remainingMs = deadlineMs - context.now();
      if (remainingMs <= 0) return { type: 'timeout' };
      if (live) process.stdout.write(countdownLine(remainingMs));
      // Redraw on the second boundary, so the clock ticks evenly.
      const waitMs = live ? remainingMs % 1000 || 1000 : remainingMs;
      const command = await context.input.next(waitMs);
      if (command.type !== 'timeout') return command;
    }
  } finally {
    if (live) process.stdout.write('\r\x1b[K');
  }
}

/** "1:30" / "45 s" for a time limit in seconds. */
export function formatLimit(seconds: number): string {
  return seconds >= 120
    ? `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`
    : `${seconds} s`;
}

/** A typed answer: the text a line carried, or on a terminal what the learner types now. */
export async function typedAnswer(
  context: DrillContext,
  command: { type: 'answer'; text: string | undefined },
): Promise<string | null> {
  if (command.text !== undefined) return command.text;
  return context.input.readLine(colour.bold('Your answer (Enter when done): '));
}

/** Says what was not understood and what would be (scripts see it on stderr). */
export function unknownCommand(command: DrillCommand, expected: string): void {
  const text = command.type === 'unknown' ? `"${command.text}"` : command.type;
  // On a terminal the countdown line may be half drawn: the message takes the whole line.
  const clear = process.stderr.isTTY ? '\r\x1b[K' : '';
  process.stderr.write(`${clear}${colour.yellow(`not now: ${text}`)} ${colour.dim(`(${expected})`)}\n`);
}
