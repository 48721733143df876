/**
 * Loads the whole course — course.yaml, modules, lessons with their runnable blocks, drills
 * and exercises — into one content index that the CLI (and later the web app) share.
 * Every problem is collected as `FILE:LINE: message`; nothing stops at the first one.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import MarkdownIt from 'markdown-it';
import { z } from 'zod';
import {
  courseFileSchema,
  drillSchema,
  lessonFrontMatterSchema,
  moduleFrontMatterSchema,
  parseInfoOptions,
  type CourseFile,
  type Drill,
  type LessonBlock,
  type LessonFrontMatter,
  type ModuleFrontMatter,
  type RunBlock,
} from '../core/course.js';
import type { DrillOutput } from '../core/drill-api.js';
import type { Exercise } from '../core/exercise.js';
import { parseProfileBlock } from './profile-blocks.js';
import { ExerciseError, findExerciseDirs, loadExercise } from '../exercises/load.js';
import { parseYaml } from '../exercises/yaml-errors.js';
import { attachRecordedOutputs } from './drill-outputs.js';

export interface Lesson extends LessonFrontMatter {
  file: string;
  moduleId: string;
  /** Markdown body without front matter. */
  body: string;
  /** Line in the file where the body starts (1-based). */
  bodyLine: number;
  blocks: LessonBlock[];
}

export interface CourseModule extends ModuleFrontMatter {
  id: string;
  dir: string;
  body: string;
}

export interface TopicCoverage {
  id: string;
  title: string;
  lessons: string[];
  exercises: string[];
  drills: string[];
}

/**
 * A drill as loaded: `module` is the drill file's name without `.yaml` (01-measure.yaml holds
 * module 01-measure's questions); `recordedOutput` is the tool output a code-reading question
 * shows, recorded by running its program with perflab (null for the others).
 */
export type LoadedDrill = Drill & { file: string; module: string; recordedOutput: DrillOutput | null };

export interface Course {
  dir: string;
  file: CourseFile;
  modules: CourseModule[];
  lessons: Lesson[];
  exercises: Exercise[];
  drills: LoadedDrill[];
  coverage: TopicCoverage[];
  problems: string[];
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n?/;

function splitFrontMatter(text: string): { yaml: string; body: string; bodyLine: number } | null {
  const match = FRONT_MATTER.exec(text.replace(/\r\n/g, '\n'));
  if (!match) return null;
  const yaml = match[1] as string;
  return { yaml, body: text.slice(match[0].length), bodyLine: yaml.split('\n').length + 3 };
}

const markdown = new MarkdownIt();

export function extractBlocks(body: string, bodyLine: number, file: string, problems: string[]): LessonBlock[] {
  const tokens = markdown.parse(body, {}).filter((t) => t.type === 'fence');
  const blocks: LessonBlock[] = [];
  const textFiles: Record<string, string> = {};
  tokens.forEach((token, index) => {
    const info = token.info.trim();
    const line = (token.map?.[0] ?? 0) + bodyLine;
    const options = parseInfoOptions(info);
    if (/^text\b/.test(info) && options.file) {
      textFiles[options.file] = token.content;
      return;
    }
    if (/^python\s+run\b/.test(info)) {
      const next = tokens[index + 1];
      const nextInfo = next?.info.trim() ?? '';
      const expect = options.expect ?? 'success';
      if (!['success', 'error', 'timeout'].includes(expect)) {
        problems.push(`${file}:${line}: expect must be error or timeout, not "${expect}"`);
      }
      const timeoutS = Number(options.timeout ?? (expect === 'timeout' ? 2 : 20));
      if (!(timeoutS > 0 && timeoutS <= 60)) problems.push(`${file}:${line}: timeout must be between 0 and 60 seconds`);
      if (expect === 'timeout' && timeoutS > 10) problems.push(`${file}:${line}: a block meant to hang needs timeout=S of at most 10`);
      const files: Record<string, string> = {};
      for (const name of (options.file ?? '').split(',').filter(Boolean)) {
        if (textFiles[name] === undefined) problems.push(`${file}:${line}: file=${name}: no preceding \`\`\`text file=${name} block`);
        else files[name] = textFiles[name];
      }
      const hasOutput = /^output\b/.test(nextInfo);
      if (!hasOutput) problems.push(`${file}:${line}: a \`python run\` block must be followed by an \`output\` block`);
      const block: RunBlock = {
        kind: 'run',
        line,
        code: token.content,
        expect: expect as RunBlock['expect'],
        timeoutS,
        stdin: options.stdin === 'terminal' ? 'terminal' : 'closed',
        files,
        expectedOutput: hasOutput ? (next?.content ?? '') : null,
        unordered: hasOutput && /\bunordered\b/.test(nextInfo),
      };
      blocks.push(block);
    } else if (/^python\b/.test(info) && options.profile !== undefined) {
      const next = tokens[index + 1];
      const nextFence = next ? { info: next.info, content: next.content, line: (next.map?.[0] ?? 0) + bodyLine } : null;
      blocks.push(parseProfileBlock({ info, options, code: token.content, line }, nextFence, textFiles, file, problems));
    } else if (/^python\s+compare\b/.test(info)) {
      const factor = Number(options.factor);
      if (!options.faster || !options.slower) problems.push(`${file}:${line}: a compare block needs faster=NAME and slower=NAME`);
      if (!(factor >= 1)) problems.push(`${file}:${line}: a compare block needs factor=N with N ≥ 1`);
      for (const name of [options.faster, options.slower]) {
        if (name && !new RegExp(`^def ${name}\\(\\s*\\)`, 'm').test(token.content)) {
          problems.push(`${file}:${line}: the compare block does not define a zero-argument function ${name}()`);
        }
      }
      blocks.push({ kind: 'compare', line, code: token.content, faster: options.faster ?? '', slower: options.slower ?? '', factor });
    }
  });
  return blocks;
}

async function loadModule(courseDir: string, moduleDir: string, problems: string[]): Promise<{ module: CourseModule; lessons: Lesson[] } | null> {
  const dir = join(courseDir, moduleDir);
  const moduleFile = join(dir, 'module.md');
  if (!existsSync(moduleFile)) {
    problems.push(`${moduleFile}:1: missing (each module folder needs a module.md)`);
    return null;
  }
  const split = splitFrontMatter(await readFile(moduleFile, 'utf8'));
  if (!split) {
    problems.push(`${moduleFile}:1: module.md must start with YAML front matter between --- lines`);
    return null;
  }
  const parsed = parseYaml(split.yaml, moduleFrontMatterSchema, moduleFile, 1);
  if (!parsed.value) {
    problems.push(...parsed.problems);
    return null;
  }
  const module: CourseModule = { ...parsed.value, id: moduleDir, dir, body: split.body };
  const lessons: Lesson[] = [];
  for (const name of module.lessons) {
    const file = join(dir, name);
    if (!existsSync(file)) {
      problems.push(`${moduleFile}:1: lessons: ${name} does not exist in ${relative(courseDir, dir)}/`);
      continue;
    }
    const text = await readFile(file, 'utf8');
    const lessonSplit = splitFrontMatter(text);
    if (!lessonSplit) {
      problems.push(`${file}:1: a lesson must start with YAML front matter between --- lines`);
      continue;
    }
    const front = parseYaml(lessonSplit.yaml, lessonFrontMatterSchema, file, 1);
    if (!front.value) {
      problems.push(...front.problems);
      continue;
    }
    const blocks = extractBlocks(lessonSplit.body, lessonSplit.bodyLine, file, problems);
    if (!blocks.some((b) => b.kind === 'run')) problems.push(`${file}:1: every lesson needs at least one \`python run\` block`);
    lessons.push({ ...front.value, file, moduleId: moduleDir, body: lessonSplit.body, bodyLine: lessonSplit.bodyLine, blocks });
  }
  return { module, lessons };
}

export async function loadCourse(courseDir: string): Promise<Course> {
  const problems: string[] = [];
  const courseYaml = join(courseDir, 'course.yaml');
  if (!existsSync(courseYaml)) throw new ExerciseError([`${courseYaml}:1: missing (a course folder needs course.yaml)`]);
  const parsedCourse = parseYaml(await readFile(courseYaml, 'utf8'), courseFileSchema, courseYaml);
  if (!parsedCourse.value) throw new ExerciseError(parsedCourse.problems);
  const file = parsedCourse.value;

  const modules: CourseModule[] = [];
  const lessons: Lesson[] = [];
  for (const moduleDir of file.modules) {
    const loaded = await loadModule(courseDir, moduleDir, problems);
    if (loaded) {
      modules.push(loaded.module);
      lessons.push(...loaded.lessons);
    }
  }

  const exercises: Exercise[] = [];
  for (const dir of await findExerciseDirs(join(courseDir, 'exercises'))) {
    try {
      exercises.push(await loadExercise(dir));
    } catch (error) {
      if (error instanceof ExerciseError) problems.push(...error.problems);
      else throw error;
    }
  }

  const drills: LoadedDrill[] = [];
  const drillsDir = join(courseDir, 'drills');
  const drillFiles = existsSync(drillsDir) ? (await readdir(drillsDir)).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  for (const name of drillFiles) {
    const path = join(drillsDir, name);
    const parsed = parseYaml(await readFile(path, 'utf8'), z.array(drillSchema), path);
    if (!parsed.value) problems.push(...parsed.problems);
    else
      drills.push(
        ...parsed.value.map((d) => ({ ...d, file: path, module: name.replace(/\.ya?ml$/, ''), recordedOutput: null })),
      );
  }

  await attachRecordedOutputs(drills, problems);

  // Cross-references: ids unique, topics known, links resolve.
  const topicIds = new Set(file.topics.map((t) => t.id));
  const lessonIds = new Set<string>();
  for (const lesson of lessons) {
    if (lessonIds.has(lesson.id)) problems.push(`${lesson.file}:2: duplicate lesson id "${lesson.id}"`);
    lessonIds.add(lesson.id);
    for (const topic of lesson.topics) if (!topicIds.has(topic)) problems.push(`${lesson.file}:2: unknown topic "${topic}" (not in course.yaml)`);
  }
  for (const lesson of lessons) {
    for (const prerequisite of lesson.prerequisites) {
      if (!lessonIds.has(prerequisite)) problems.push(`${lesson.file}:2: prerequisite "${prerequisite}" is not a lesson id`);
    }
  }
  const exerciseIds = new Set(exercises.map((e) => e.meta.id));
  for (const exercise of exercises) {
    for (const topic of exercise.meta.topics) {
      if (!topicIds.has(topic)) problems.push(`${join(exercise.dir, 'meta.yaml')}:1: unknown topic "${topic}" (not in course.yaml)`);
    }
  }
  for (const module of modules) {
    for (const exercise of module.exercises) {
      if (!exerciseIds.has(exercise)) problems.push(`${join(module.dir, 'module.md')}:1: exercises: "${exercise}" is not an exercise in ${join(courseDir, 'exercises')}`);
    }
  }
  const drillIds = new Set<string>();
  for (const drill of drills) {
    if (drillIds.has(drill.id)) problems.push(`${drill.file}:1: duplicate drill id "${drill.id}"`);
    drillIds.add(drill.id);
    if (!lessonIds.has(drill.lesson)) problems.push(`${drill.file}:1: drill "${drill.id}" links to lesson "${drill.lesson}", which does not exist`);
    for (const topic of drill.topics) if (!topicIds.has(topic)) problems.push(`${drill.file}:1: drill "${drill.id}": unknown topic "${topic}"`);
  }

  const coverage: TopicCoverage[] = file.topics.map((topic) => ({
    id: topic.id,
    title: topic.title,
    lessons: lessons.filter((l) => l.topics.includes(topic.id)).map((l) => l.id),
    exercises: exercises.filter((e) => e.meta.topics.includes(topic.id)).map((e) => e.meta.id),
    drills: drills.filter((d) => d.topics.includes(topic.id)).map((d) => d.id),
  }));
  for (const topic of coverage) {
    const missing = [
      topic.lessons.length === 0 ? 'a lesson' : null,
      topic.exercises.length === 0 ? 'an exercise or challenge' : null,
      topic.drills.length === 0 ? 'drill questions' : null,
    ].filter(Boolean);
    if (missing.length > 0) problems.push(`${courseYaml}:1: topic "${topic.id}" lacks ${missing.join(', ')}`);
  }
  return { dir: courseDir, file, modules, lessons, exercises, drills, coverage, problems };
}

/** Finds a lesson by id, file name, or unique id prefix. */
export function findLesson(course: Course, query: string): Lesson | undefined {
  return (
    course.lessons.find((l) => l.id === query || l.file.endsWith(`/${query}`) || l.file.endsWith(`/${query}.md`)) ??
    (course.lessons.filter((l) => l.id.startsWith(query)).length === 1 ? course.lessons.find((l) => l.id.startsWith(query)) : undefined)
  );
}
