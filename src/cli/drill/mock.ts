/**
 * `perflab drill --mock`: a mock interview. Each part runs against its own time limit; the
 * answer stays hidden until the time is up or the learner says done. Then the model answer
 * and its key points; the learner scores each point 0–2 and their communication 0–2 (the
 * service maps the rubric to an FSRS grade). Ends with the report and the session id, which
 * the browser's report page shows too.
 */
import type { SessionItem, SessionView } from '../../core/drill-api.js';
import { colour } from '../format.js';
import type { DrillContext, FlowResult } from './context.js';
import { formatLimit, nextCommand, stops, unknownCommand } from './context.js';
import type { DrillCommand } from './input.js';
import { MOCK_PART, timedPart } from './timed-part.js';
import { renderAnswer, renderFull, renderKeyPoints, renderSessionSummary } from './render.js';

type PartOutcome = { type: 'scored' } | DrillCommand;

/** Reads scores 0–2 until `needed` are in (several may come on one line), or the command that stopped it. */
async function readScores(
  context: DrillContext,
  needed: number,
  onFull: () => void,
): Promise<number[] | DrillCommand> {
  const scores: number[] = [];
  while (scores.length < needed) {
    const command = await nextCommand(context);
    if (stops(command)) return command;
    if (command.type === 'full') {
      onFull();
      continue;
    }
    if (command.type === 'numbers' && command.values.every((v) => v >= 0 && v <= 2)) {
      scores.push(...command.values.slice(0, needed - scores.length));
      if (context.input.keys) context.print(colour.dim(`  scored: ${scores.join(' ')}`));
      continue;
    }
    if (command.type !== 'reveal')
      unknownCommand(command, `scores 0–2: ${needed - scores.length} more · f full answer · q quit`);
  }
  return scores;
}

async function sitPart(context: DrillContext, session: SessionView, item: SessionItem): Promise<PartOutcome> {
  const { service, learnerId } = context;
  const total = session.items.length;
  if (item.kind === 'exercise') {
    context.print(
      colour.dim(`Part ${item.index + 1}/${total} is a workspace exercise: sit it in the browser.`),
    );
    return { type: 'scored' };
  }
  const part = await timedPart(context, session, item, MOCK_PART);
  if ('type' in part) return part;
  const { view, typed } = part;

  context.print(renderAnswer(view));
  context.print(`${colour.bold('Key points')} ${colour.dim('(score each 0–2, then communication 0–2)')}`);
  context.print(renderKeyPoints(view.keyPoints));
  const scores = await readScores(context, view.keyPoints.length + 1, () => context.print(renderFull(view)));
  if (!Array.isArray(scores)) return scores;
  const points = scores.slice(0, view.keyPoints.length);
  const communication = scores[view.keyPoints.length] ?? 0;
  const answered = await service.answerItem(
    learnerId,
    session.id,
    item.index,
    { rubric: { points, communication }, typedAnswer: typed },
    context.now(),
  );
  const got = points.reduce((a, b) => a + b, 0) + communication;
  const grade = answered.items[item.index]?.grade;
  context.print(
    colour.green(`✓ ${got}/${2 * (points.length + 1)}`) +
      colour.dim(grade ? ` (scheduled as grade ${grade})` : ''),
  );
  return { type: 'scored' };
}

/** The report: each part's score and time, then the summary and where to see it in the browser. */
function renderReport(session: SessionView): string {
  const lines = [`\n${colour.bold('Mock interview report')}`];
  for (const item of session.items) {
    const rubric = item.rubric
      ? `${item.rubric.points.reduce((a, b) => a + b, 0) + item.rubric.communication}/${2 * (item.rubric.points.length + 1)}`
      : 'not scored';
    const taken =
      item.secondsTaken === null ? '' : ` · ${Math.round(item.secondsTaken)} s of ${item.timeLimitSec}`;
    lines.push(
      `  ${item.index + 1}. ${item.kind.padEnd(12)} ${rubric.padEnd(10)} ${item.title}${colour.dim(taken)}`,
    );
  }
  lines.push(
    '',
    renderSessionSummary(session),
    '',
    `Session ${session.id}  ${colour.dim(`(perflab serve: /drills/sessions/${session.id})`)}`,
  );
  return lines.join('\n');
}

export async function runMock(context: DrillContext, options: { module?: string }): Promise<FlowResult> {
  const { service, learnerId } = context;
  const session = await service.startMock(
    learnerId,
    { module: options.module, includeExercise: false },
    context.now(),
  );
  const totalSec = session.items.reduce((sum, item) => sum + item.timeLimitSec, 0);
  context.print(
    colour.bold(`Mock interview: ${session.items.length} parts, ${formatLimit(totalSec)} in all.`) +
      colour.dim(' Each part is timed; its answer stays hidden until the time is up or you are done (d).'),
  );
  let stoppedBy: DrillCommand | null = null;
  for (const item of session.items) {
    const outcome = await sitPart(context, session, item);
    if (outcome.type !== 'scored' && outcome.type !== 'skip') {
      stoppedBy = outcome;
      break;
    }
  }
  const finished = await service.finishSession(learnerId, session.id, context.now());
  context.print(renderReport(finished));
  return { interrupted: stoppedBy?.type === 'interrupt' };
}
