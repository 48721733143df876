/**
 * What a quick-fire question and a mock-interview part share: the part's timer starts in the
 * session (the service keeps its start), the question shows with its time limit, and the
 * answer stays hidden until the learner is done or the time is up.
 */
import type { DrillView, SessionItem } from '../../core/drill-api.js';
import { DrillError } from '../../drills/types.js';
import { colour } from '../format.js';
import {
  formatLimit,
  nextCommand,
  stops,
  typedAnswer,
  unknownCommand,
  type DrillContext,
} from './context.js';
import type { DrillCommand } from './input.js';
import { renderOutput, renderQuestion } from './render.js';

export interface OpenPart {
  /** The whole question, answer included: printed only after `waitUntilDone`. */
  view: DrillView;
  /** ms since the epoch: the part's start plus its time limit. */
  deadlineMs: number;
}

async function openPart(
  context: DrillContext,
  sessionId: string,
  item: SessionItem,
  position: string,
  hint: string,
): Promise<OpenPart> {
  const { service, learnerId } = context;
  const started = await service.startItem(learnerId, sessionId, item.index, context.now());
  const deadlineMs = (started.items[item.index]?.startedAtMs ?? context.now()) + item.timeLimitSec * 1000;
  // The whole question now, its answer printed only after the part ends (waitUntilDone).
  const view = await service.get(learnerId, item.refId, context.now(), { ignoreMockGuard: true });
  if (!view) throw new DrillError('not-found', `question ${item.refId} is gone from the course`);
  context.print(
    renderQuestion(view, position) + colour.dim(`${formatLimit(item.timeLimitSec)} · ${hint}`) + '\n',
  );
  if (view.output) context.print(renderOutput(view.output));
  return { view, deadlineMs };
}

/**
 * Until the learner is done (reveal, done) or the time is up; what they typed meanwhile. A
 * typed answer ends a quick-fire question (`answerEnds`); a mock part takes several.
 * Returns the stopping command when the learner quits.
 */
async function waitUntilDone(
  context: DrillContext,
  deadlineMs: number,
  options: { answerEnds: boolean; expected: string },
): Promise<{ typed: string | undefined } | DrillCommand> {
  let typed: string | undefined;
  for (;;) {
    const command = await nextCommand(context, deadlineMs);
    if (stops(command)) return command;
    if (command.type === 'timeout') {
      context.print(colour.yellow("Time's up."));
      return { typed };
    }
    if (command.type === 'answer') {
      const text = await typedAnswer(context, command);
      if (text !== null) typed = typed === undefined ? text : `${typed}\n${text}`;
      if (options.answerEnds) return { typed };
      continue;
    }
    if (command.type === 'reveal' || command.type === 'done') return { typed };
    unknownCommand(command, options.expected);
  }
}

export interface TimedPartOptions {
  /** Before "2/5": "Part " in a mock interview. */
  label: string;
  /** What to do, after the time limit: "Enter when ready". */
  hint: string;
  answerEnds: boolean;
  /** The commands that would be understood, for the message about one that was not. */
  expected: string;
}

export const QUICK_FIRE_PART: TimedPartOptions = {
  label: '',
  hint: 'Enter when ready',
  answerEnds: true,
  expected: 'Enter when ready for the answer · a type an answer · q quit',
};

export const MOCK_PART: TimedPartOptions = {
  label: 'Part ',
  hint: 'answer aloud or type it (a); d when done',
  answerEnds: false,
  expected: 'd when done · a type your answer · q quit',
};

/** A timed part up to its reveal: the question and what the learner typed, or the command that stopped it. */
export async function timedPart(
  context: DrillContext,
  session: { id: string; items: readonly unknown[] },
  item: SessionItem,
  options: TimedPartOptions,
): Promise<{ view: DrillView; typed: string | undefined } | DrillCommand> {
  const position = `${options.label}${item.index + 1}/${session.items.length}`;
  const { view, deadlineMs } = await openPart(context, session.id, item, position, options.hint);
  const done = await waitUntilDone(context, deadlineMs, options);
  return 'type' in done ? done : { view, typed: done.typed };
}
