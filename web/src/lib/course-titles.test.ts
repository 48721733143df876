import { describe, expect, it } from 'vitest';
import { courseTitles } from './course-titles';

describe('courseTitles', () => {
  it('maps module and lesson ids to their titles across all modules', () => {
    const titles = courseTitles({
      modules: [
        {
          id: 'measure',
          title: 'Measuring',
          lessons: [
            { id: 'timeit', title: 'Timing small things' },
            { id: 'profiling', title: 'Profiling' },
          ],
        },
        { id: 'threads', title: 'Threads', lessons: [{ id: 'gil', title: 'The GIL' }] },
        { id: 'empty', title: 'Coming soon', lessons: [] },
      ],
    });
    expect(titles).toEqual({
      modules: { measure: 'Measuring', threads: 'Threads', empty: 'Coming soon' },
      lessons: { timeit: 'Timing small things', profiling: 'Profiling', gil: 'The GIL' },
    });
  });
});
