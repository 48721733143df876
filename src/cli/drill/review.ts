/**
 * `perflab drill` (review): due questions, then new ones, Anki-style. The question alone (and
 * a code-reading question's recorded output); an optional typed answer; reveal; the full
 * answer on request; a self-grade 1–4, each choice showing when the question comes back; undo;
 * quit with a summary. Every grade goes through the drill service into the shared store, so
 * the browser's review sees it at once.
 */
import type { DrillView } from '../../core/drill-api.js';
import { intervalLabel } from '../../core/drills/interval-label.js';
import { GRADE_NAMES } from '../../core/drills/scheduler.js';
import { colour } from '../format.js';
import type { DrillContext, FlowResult } from './context.js';
import { gradeOf, nextCommand, stops, typedAnswer, unknownCommand } from './context.js';
import type { DrillCommand } from './input.js';
import { renderAnswer, renderFull, renderGradeChoices, renderOutput, renderQuestion } from './render.js';

export interface ReviewOptions {
  module?: string;
  topic?: string;
  /** Only questions due now: no new ones. */
  dueOnly: boolean;
  /** New questions to introduce after the due ones. */
  newLimit: number;
}

const QUESTION_KEYS = 'Space/Enter reveal · a type an answer · s skip · u undo · q quit';
const ANSWER_KEYS = '1–4 grade · f full answer · s skip · u undo · q quit';

async function fetchQueue(
  context: DrillContext,
  options: ReviewOptions,
  newLimit: number,
): Promise<DrillView[]> {
  const queue = await context.service.reviewQueue(
    context.learnerId,
    {
      module: options.module,
      topic: options.topic,
      newLimit,
      limit: 200,
      utcOffsetMinutes: context.utcOffsetMinutes,
    },
    context.now(),
  );
  return queue.drills;
}

/** The outcome of showing one question. */
type Shown = 'graded' | 'skipped' | 'undo' | 'stop';

export async function runReview(context: DrillContext, options: ReviewOptions): Promise<FlowResult> {
  const { service, learnerId } = context;
  const queue = await fetchQueue(context, options, options.dueOnly ? 0 : options.newLimit);
  const skipped = new Set<string>();
  let reviewed = 0;
  let last: DrillCommand | null = null;

  if (queue.length === 0)
    context.print(options.dueOnly ? 'Nothing is due now.' : 'No questions to review here right now.');
  else {
    const fresh = queue.filter((d) => d.status === 'new').length;
    context.print(
      `${colour.bold(`${queue.length - fresh} due, ${fresh} new`)}  ${colour.dim(context.input.keys ? QUESTION_KEYS : 'one command per line; see perflab drill --help')}`,
    );
  }

  /** Shows `view` until it is graded, skipped, an undo asks for the previous one, or the learner stops. */
  async function show(view: DrillView, position: string): Promise<Shown> {
    const shownAtMs = context.now();
    context.print(renderQuestion(view, position));
    if (view.output) context.print(renderOutput(view.output));
    let revealed = false;
    let typed: string | undefined;
    for (;;) {
      const command = await nextCommand(context);
      last = command;
      if (stops(command)) return 'stop';
      if (command.type === 'undo') return 'undo';
      if (command.type === 'skip') return 'skipped';
      if (command.type === 'answer' && !revealed) {
        const text = await typedAnswer(context, command);
        if (text === null) continue;
        typed = text;
      }
      if ((command.type === 'reveal' || command.type === 'answer') && !revealed) {
        revealed = true;
        context.print(renderAnswer(view));
        context.print(renderGradeChoices(view, context.now()));
        continue;
      }
      if (command.type === 'reveal') continue;
      if (command.type === 'full' && revealed) {
        context.print(renderFull(view));
        context.print(renderGradeChoices(view, context.now()));
        continue;
      }
      const grade = gradeOf(command);
      if (grade !== null && revealed) {
        const nowMs = context.now();
        const result = await service.review(
          learnerId,
          view.id,
          { grade, typedAnswer: typed, durationMs: Math.max(0, nowMs - shownAtMs) },
          nowMs,
          { source: 'review', utcOffsetMinutes: context.utcOffsetMinutes },
        );
        context.print(
          colour.green(`✓ ${GRADE_NAMES[grade]}`) +
            colour.dim(
              ` — back in ${intervalLabel(result.dueAtMs, nowMs)} (${result.status}; ${result.counts.due} due now)`,
            ),
        );
        return 'graded';
      }
      unknownCommand(command, revealed ? ANSWER_KEYS : QUESTION_KEYS);
    }
  }

  for (let index = 0; index < queue.length;) {
    const view = queue[index] as DrillView;
    const outcome = await show(view, `${index + 1}/${queue.length}`);
    if (outcome === 'stop') break;
    if (outcome === 'graded') reviewed++;
    if (outcome === 'undo') {
      const undone = await service.undo(learnerId, context.now(), context.utcOffsetMinutes);
      if (!undone.drill) {
        context.print(colour.yellow('Nothing to undo.'));
        continue;
      }
      context.print(colour.yellow(`↶ took back the last grade of ${undone.drill.id}`));
      reviewed = Math.max(0, reviewed - 1);
      // The undone question comes back next, as it was before its grade.
      const at = queue.findIndex((d, i) => i < index && d.id === undone.drill?.id);
      if (at >= 0) {
        queue.splice(at, 1);
        index--;
      }
      queue.splice(index, 0, undone.drill);
      continue;
    }
    if (outcome === 'skipped') skipped.add(view.id);
    index++;
    if (index === queue.length) {
      // Questions graded "again" come back within minutes: those due by now join the queue.
      queue.push(
        ...(await fetchQueue(context, options, 0)).filter((d) => d.status === 'due' && !skipped.has(d.id)),
      );
    }
  }

  const list = await service.list(
    learnerId,
    { module: options.module, topic: options.topic, utcOffsetMinutes: context.utcOffsetMinutes },
    context.now(),
  );
  context.print(
    `\n${colour.bold(`Reviewed ${reviewed}`)} · ${list.counts.due} due now · ${list.counts.dueToday} due today · ` +
      `${list.counts.new} new · ${list.counts.known} known`,
  );
  return { interrupted: (last as DrillCommand | null)?.type === 'interrupt' };
}
