/**
 * `perflab drill --quick N`: a quick-fire round. N questions from the module or topic, each
 * against its own countdown; the answer after each (when the learner is ready or the time is
 * up); a self-grade 1–4 that feeds the scheduler as a 'quick-fire' review; then the summary
 * with the weakest topics and the lessons to reread. The round is a session in the shared
 * store, so the browser shows it in the history too.
 */
import { GRADE_NAMES } from '../../core/drills/scheduler.js';
import type { SessionItem, SessionView } from '../../core/drill-api.js';
import { colour } from '../format.js';
import type { DrillContext, FlowResult } from './context.js';
import { formatLimit, gradeOf, nextCommand, stops, unknownCommand } from './context.js';
import type { DrillCommand } from './input.js';
import { QUICK_FIRE_PART, timedPart } from './timed-part.js';
import { renderAnswer, renderFull, renderGradeChoices, renderSessionSummary } from './render.js';

export interface QuickFireOptions {
  count: number;
  module?: string;
  topic?: string;
  secondsPerQuestion: number;
}

/** One question of the round: 'answered', or the command that stopped the round. */
async function askOne(
  context: DrillContext,
  session: SessionView,
  item: SessionItem,
): Promise<DrillCommand | 'answered'> {
  const { service, learnerId } = context;
  const part = await timedPart(context, session, item, QUICK_FIRE_PART);
  if ('type' in part) return part;
  const { view, typed } = part;
  context.print(renderAnswer(view));
  context.print(renderGradeChoices(view, context.now()));
  for (;;) {
    const command = await nextCommand(context);
    if (stops(command)) return command;
    if (command.type === 'full') {
      context.print(renderFull(view));
      continue;
    }
    const grade = gradeOf(command);
    if (grade === null) {
      if (command.type !== 'reveal') unknownCommand(command, '1–4 grade yourself · f full answer · q quit');
      continue;
    }
    await service.answerItem(learnerId, session.id, item.index, { grade, typedAnswer: typed }, context.now());
    context.print(colour.green(`✓ ${GRADE_NAMES[grade]}`));
    return 'answered';
  }
}

export async function runQuickFire(context: DrillContext, options: QuickFireOptions): Promise<FlowResult> {
  const { service, learnerId } = context;
  const session = await service.startQuickFire(
    learnerId,
    {
      count: options.count,
      module: options.module,
      topics: options.topic ? [options.topic] : undefined,
      secondsPerQuestion: options.secondsPerQuestion,
    },
    context.now(),
  );
  const fewer =
    session.items.length < options.count ? ` (all there are here, of ${options.count} asked)` : '';
  context.print(
    colour.bold(
      `Quick-fire: ${session.items.length} questions${fewer}, ${formatLimit(options.secondsPerQuestion)} each.`,
    ) + colour.dim(' Answer in your head (or type it: a), reveal when ready, then grade yourself 1–4.'),
  );
  let last: DrillCommand | 'answered' = 'answered';
  for (const item of session.items) {
    last = await askOne(context, session, item);
    if (last !== 'answered') break;
  }
  // Questions not reached count as timed out: the summary is of the round as it went.
  const finished = await service.finishSession(learnerId, session.id, context.now());
  context.print(`\n${colour.bold('Quick-fire summary')}\n${renderSessionSummary(finished)}`);
  context.print(colour.dim(`\nSession ${finished.id}`));
  return { interrupted: last !== 'answered' && last.type === 'interrupt' };
}
