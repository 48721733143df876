import { useEffect, useState } from 'react';
import { api } from '../api/client';

/** Titles of modules and lessons by id, fetched once per page load (for breadcrumbs and links). */
export interface CourseTitles {
  modules: Record<string, string>;
  lessons: Record<string, string>;
}

interface Titled {
  id: string;
  title: string;
}

/** The title lookups of a course index (the index's modules, each with its lessons). */
export function courseTitles(course: {
  modules: readonly (Titled & { lessons: readonly Titled[] })[];
}): CourseTitles {
  return {
    modules: Object.fromEntries(course.modules.map((m) => [m.id, m.title])),
    lessons: Object.fromEntries(course.modules.flatMap((m) => m.lessons.map((l) => [l.id, l.title]))),
  };
}

let pending: Promise<CourseTitles> | null = null;

function load(): Promise<CourseTitles> {
  pending ??= api.course().then(courseTitles, (error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

/** null until loaded (or when the course index cannot be read: callers fall back to ids). */
export function useCourseTitles(): CourseTitles | null {
  const [titles, setTitles] = useState<CourseTitles | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (t) => live && setTitles(t),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return titles;
}
