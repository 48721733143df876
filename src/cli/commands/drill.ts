/**
 * `perflab drill`: interview questions in the terminal — review (Anki-style, FSRS), a
 * quick-fire round, a mock interview, or the counts by module. Same store, same learner and
 * same drill service as `perflab serve`, so a question graded here is not due in the browser.
 */
import type { Course } from '../../course/load.js';
import { createDrillService } from '../../drills/service.js';
import { DrillError } from '../../drills/types.js';
import { UsageError } from '../errors.js';
import { colour } from '../format.js';
import { openCourse } from '../workflow/course-context.js';
import { withLearnerStore, type DataDirOption } from '../workflow/learner-store.js';
import type { DrillContext, FlowResult } from '../drill/context.js';
import { DrillInput } from '../drill/input.js';
import { runMock } from '../drill/mock.js';
import { runQuickFire } from '../drill/quick-fire.js';
import { renderCounts } from '../drill/render.js';
import { runReview } from '../drill/review.js';

export interface DrillOptions extends DataDirOption {
  course?: string;
  module?: string;
  topic?: string;
  due?: boolean;
  /** true: the flag without a number (30 questions). */
  quick?: string | boolean;
  seconds?: string;
  new?: string;
  mock?: boolean;
  list?: boolean;
  json?: boolean;
}

/** 128 + SIGINT, as a shell reports a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

function integerOption(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max)
    throw new UsageError(`${name} takes a whole number from ${min} to ${max}, not "${value}"`);
  return parsed;
}

/** An id from a list, exact or an unambiguous start of one (as `perflab start` accepts). */
function pickId(what: string, query: string, ids: readonly string[]): string {
  if (ids.includes(query)) return query;
  const matches = ids.filter((id) => id.startsWith(query));
  if (matches.length === 1) return matches[0] as string;
  throw new UsageError(
    matches.length > 1
      ? `--${what} "${query}" matches several: ${matches.join(', ')}`
      : `no ${what} "${query}"; the ${what}s with questions are: ${ids.join(', ')}`,
  );
}

/** Flags that do not go together: usage errors (exit 2) before the course or the store is opened. */
function checkFlags(options: DrillOptions): void {
  const modes = [
    options.quick !== undefined && '--quick',
    options.mock && '--mock',
    options.list && '--list',
  ].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} do not go together: pick one`);
  if (options.due && modes.length > 0)
    throw new UsageError(`--due is for review; it does not go with ${modes[0]}`);
  if (options.seconds !== undefined && options.quick === undefined)
    throw new UsageError('--seconds sets the time per question of a quick-fire round: use it with --quick');
  if (options.json && !options.list) throw new UsageError('--json goes with --list');
  if (options.mock && options.topic)
    throw new UsageError('a mock interview mixes topics: use --module, not --topic');
  if (options.new !== undefined && modes.length > 0) throw new UsageError('--new is for review');
}

/** Which flow, and its settings; unknown modules and topics and numbers out of range are usage errors. */
function plan(options: DrillOptions, course: Course) {
  const moduleIds = [...new Set(course.drills.map((d) => d.module))];
  const topicIds = course.file.topics
    .map((t) => t.id)
    .filter((id) => course.drills.some((d) => d.topics.includes(id)));
  const module = options.module === undefined ? undefined : pickId('module', options.module, moduleIds);
  const topic = options.topic === undefined ? undefined : pickId('topic', options.topic, topicIds);
  if (module && topic && !course.drills.some((d) => d.module === module && d.topics.includes(topic)))
    throw new UsageError(`module ${module} has no questions on topic ${topic}`);
  return {
    module,
    topic,
    quick:
      options.quick === undefined
        ? undefined
        : options.quick === true
          ? 30
          : integerOption('--quick', String(options.quick), 1, 100),
    secondsPerQuestion:
      options.seconds === undefined ? 60 : integerOption('--seconds', options.seconds, 10, 600),
    newLimit: options.new === undefined ? 10 : integerOption('--new', options.new, 0, 200),
  };
}

export async function drillCommand(options: DrillOptions): Promise<number> {
  checkFlags(options);
  const course = await openCourse(options.course);
  const chosen = plan(options, course);
  // The learner's day ends at local midnight (what "due today" counts up to).
  const utcOffsetMinutes = -new Date().getTimezoneOffset();
  return withLearnerStore(options, async (store, learnerId) => {
    const service = createDrillService({ store, course });
    if (options.list) {
      const list = await service.list(
        learnerId,
        { module: chosen.module, topic: chosen.topic, utcOffsetMinutes },
        Date.now(),
      );
      if (options.json) {
        const { counts, modules } = list;
        process.stdout.write(
          JSON.stringify({ schema: 'perflab.drill-counts/1', counts, modules }, null, 2) + '\n',
        );
      } else {
        console.log(renderCounts(list));
        console.log(
          colour.dim(
            '\nperflab drill   review what is due · --quick 30   quick-fire round · --mock   mock interview',
          ),
        );
      }
      return 0;
    }
    const input = new DrillInput();
    const context: DrillContext = {
      service,
      learnerId,
      input,
      now: () => Date.now(),
      utcOffsetMinutes,
      print: (text) => console.log(text),
    };
    let result: FlowResult;
    try {
      if (chosen.quick !== undefined)
        result = await runQuickFire(context, {
          count: chosen.quick,
          module: chosen.module,
          topic: chosen.topic,
          secondsPerQuestion: chosen.secondsPerQuestion,
        });
      else if (options.mock) result = await runMock(context, { module: chosen.module });
      else
        result = await runReview(context, {
          module: chosen.module,
          topic: chosen.topic,
          dueOnly: Boolean(options.due),
          newLimit: chosen.newLimit,
        });
    } catch (error) {
      if (error instanceof DrillError && error.code !== 'conflict') throw new UsageError(error.message);
      throw error;
    } finally {
      input.close();
    }
    return result.interrupted ? EXIT_INTERRUPTED : 0;
  });
}
