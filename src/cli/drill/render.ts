/**
 * How `perflab drill` shows questions, answers, recorded tool output, grade choices and
 * summaries in the terminal. Pure: strings in, strings out (the flows print them), so the
 * same text reaches a terminal and a pipe; colour only on a terminal (format.ts).
 */
import type { DrillCounts, DrillList, DrillOutput, DrillView, SessionView } from '../../core/drill-api.js';
import type { HarnessResultOf } from '../../core/documents.js';
import type { TimeitReport } from '../../core/timeit-report.js';
import { intervalLabel } from '../../core/drills/interval-label.js';
import { DRILL_GRADES, GRADE_NAMES } from '../../core/drills/scheduler.js';
import { colour } from '../format.js';
import { renderLines, renderMemory, renderProfile } from '../render-profile.js';
import { renderTimeitTable } from '../render-timeit.js';
import { renderLessonMarkdown } from '../workflow/render-markdown.js';

/** Markdown for the terminal, without the blank lines it ends with. */
export function markdown(text: string): string {
  return renderLessonMarkdown(text).trim();
}

/** The command that opens a lesson in the terminal (`perflab show` renders lessons). */
export function lessonCommand(lessonId: string): string {
  return `perflab show ${lessonId}`;
}

export function renderQuestion(
  view: Pick<DrillView, 'kind' | 'module' | 'topics' | 'question'>,
  position: string,
): string {
  const where = colour.dim(`${view.kind} · ${view.module} · ${view.topics.join(', ')}`);
  return `\n${colour.bold(position)}  ${where}\n\n${markdown(view.question)}\n`;
}

export function renderAnswer(view: Pick<DrillView, 'answer'>): string {
  return `${colour.bold(colour.green('Answer'))}\n${markdown(view.answer)}\n`;
}

export function renderFull(view: Pick<DrillView, 'full' | 'lesson' | 'lessonTitle'>): string {
  return (
    `${colour.bold('Full answer')}\n${markdown(view.full)}\n\n` +
    colour.dim(`Taught in "${view.lessonTitle}": ${lessonCommand(view.lesson)}`) +
    '\n'
  );
}

export function renderKeyPoints(keyPoints: readonly string[]): string {
  return keyPoints.map((point, i) => `  ${i + 1}. ${point}`).join('\n');
}

/**
 * A code-reading question's material: the program (numbered: line timings and allocation sites
 * name lines), then its recorded output in the views `perflab profile` and `perflab timeit`
 * print — function table, line timings, allocation sites, or the timeit comparison.
 */
export function renderOutput(output: DrillOutput): string {
  const width = String(output.program.source.split('\n').length).length;
  const source = output.program.source
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i) => `${colour.dim(`${String(i + 1).padStart(width)} │`)} ${line}`)
    .join('\n');
  const head = colour.dim(
    `$ ${output.command}   (recorded with Python ${output.python}, ${new Date(output.recordedAtMs).toISOString().slice(0, 10)})`,
  );
  const result = output.result as Record<string, unknown>;
  const profile = result.profile as Omit<HarnessResultOf<'profile'>, 'pstatsBase64'> | null | undefined;
  const lines = result.lines as HarnessResultOf<'lines'> | null | undefined;
  const memory = result.memory as HarnessResultOf<'memory'> | null | undefined;
  const report = result.report as TimeitReport | null | undefined;
  const tables: string[] = [];
  if (output.result.kind === 'profile') {
    if (profile) tables.push(renderProfile({ ...profile, pstatsBase64: '' }, 'tottime', 10));
    if (lines && lines.functions.length > 0) tables.push(renderLines(lines.functions));
    if (memory) tables.push(renderMemory(memory, 8));
  }
  if (output.result.kind === 'timeit' && report) tables.push(renderTimeitTable(report));
  const shown =
    tables.length > 0 ? tables.join('\n\n') : colour.yellow('(no table was recorded: run the command)');
  return `${colour.dim(`┌─ ${output.program.name}`)}\n${source}\n${colour.dim('└─')}\n${head}\n${shown}\n`;
}

/** "1 again · 1 min   2 hard · 6 min   3 good · 10 min   4 easy · 2 d": when each grade brings it back. */
export function renderGradeChoices(view: Pick<DrillView, 'next'>, nowMs: number): string {
  return DRILL_GRADES.map(
    (grade) =>
      `${colour.bold(String(grade))} ${GRADE_NAMES[grade]} ${colour.dim(`· ${intervalLabel(view.next[grade], nowMs)}`)}`,
  ).join('   ');
}

const COUNT_COLUMNS = ['total', 'new', 'learning', 'due', 'known', 'dueToday'] as const;

function countsRow(label: string, counts: DrillCounts, width: number): string {
  return `${label.padEnd(width)}${COUNT_COLUMNS.map((c) => String(counts[c]).padStart(10)).join('')}`;
}

/** `perflab drill --list`: questions by module and state, and what is due today. */
export function renderCounts(list: DrillList): string {
  const width = Math.max(8, ...list.modules.map((m) => m.id.length)) + 2;
  const head = `${'module'.padEnd(width)}${['questions', 'new', 'learning', 'due', 'known', 'due today'].map((h) => h.padStart(10)).join('')}`;
  return [
    colour.bold(head),
    ...list.modules.map((m) => countsRow(m.id, m.counts, width)),
    colour.bold(countsRow('all', list.counts, width)),
  ].join('\n');
}

/** The end of a quick-fire round or mock interview: score, weakest topics, lessons to reread. */
export function renderSessionSummary(session: SessionView): string {
  const summary = session.summary;
  if (!summary) return 'The session has no summary (it is not finished).';
  const percent = (score: number) => `${Math.round(score * 100)}%`;
  const out = [
    `${colour.bold('Score')} ${percent(summary.score)} · ${summary.answered} answered · ${summary.timedOut} timed out · ` +
      `${Math.round(summary.totalSecondsTaken)} s`,
  ];
  const weak = summary.weakestTopics.filter((t) => t.score < 1).slice(0, 5);
  if (weak.length > 0) {
    out.push('', colour.bold('Weakest topics'));
    for (const topic of weak)
      out.push(
        `  ${percent(topic.score).padStart(4)}  ${topic.title} ${colour.dim(`(${topic.asked} asked)`)}`,
      );
    const lessons = new Map(weak.flatMap((t) => t.lessons.map((l) => [l.id, l.title] as const)));
    out.push('', colour.bold('Lessons to reread'));
    for (const [id, title] of lessons) out.push(`  ${title}  ${colour.dim(lessonCommand(id))}`);
  } else out.push('', 'No weak topic in this one.');
  return out.join('\n');
}
