import type { ProfiledFunction } from '../../../src/core/documents.js';
import { displayName, location } from '../../../src/core/names.js';
import type { SortState } from './SortHeader';

export type FunctionColumn = 'function' | 'location' | 'ncalls' | 'tottime' | 'cumtime' | 'percall';

export const FUNCTION_COLUMNS: {
  column: FunctionColumn;
  label: string;
  numeric: boolean;
  description: string;
}[] = [
  { column: 'function', label: 'function', numeric: false, description: 'Function name' },
  { column: 'location', label: 'location', numeric: false, description: 'File and line where it is defined' },
  {
    column: 'ncalls',
    label: 'ncalls',
    numeric: true,
    description: 'Number of calls; "total/primitive" when some calls were recursive',
  },
  {
    column: 'tottime',
    label: 'tottime ms',
    numeric: true,
    description: 'Time in the function itself, without the functions it calls',
  },
  {
    column: 'cumtime',
    label: 'cumtime ms',
    numeric: true,
    description: 'Time in the function including everything it calls',
  },
  {
    column: 'percall',
    label: 'per call µs',
    numeric: true,
    description: 'Cumulative time per (primitive) call, in microseconds',
  },
];

/** Cumulative µs per primitive call; NaN for a function with no primitive call. */
export const perCallUs = (fn: ProfiledFunction): number =>
  fn.primitiveCalls > 0 ? (fn.cumtimeMs * 1000) / fn.primitiveCalls : Number.NaN;

function compare(a: ProfiledFunction, b: ProfiledFunction, column: FunctionColumn): number {
  switch (column) {
    case 'function':
      return displayName(a).localeCompare(displayName(b));
    case 'location':
      return location(a).localeCompare(location(b));
    case 'ncalls':
      return a.ncalls - b.ncalls;
    case 'tottime':
      return a.tottimeMs - b.tottimeMs;
    case 'cumtime':
      return a.cumtimeMs - b.cumtimeMs;
    case 'percall':
      return (perCallUs(a) || 0) - (perCallUs(b) || 0);
  }
}

/** The table's rows: the learner's functions only when `onlyMine`, sorted; ties go slowest own time first. */
export function functionRows(
  functions: readonly ProfiledFunction[],
  sort: SortState<FunctionColumn>,
  onlyMine: boolean,
): ProfiledFunction[] {
  const shown = onlyMine ? functions.filter((f) => f.origin === 'user') : [...functions];
  const direction = sort.descending ? -1 : 1;
  return shown.sort((a, b) => direction * compare(a, b, sort.key) || b.tottimeMs - a.tottimeMs);
}
