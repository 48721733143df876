export interface SortState<K extends string> {
  key: K;
  descending: boolean;
}

interface SortHeaderProps<K extends string> {
  column: K;
  label: string;
  sort: SortState<K>;
  onSort: (column: K) => void;
  numeric?: boolean;
  /** Longer explanation of the column, shown as a tooltip. */
  description?: string;
}

/** A column header whose button sorts by the column; aria-sort tells screen readers the order. */
export function SortHeader<K extends string>({
  column,
  label,
  sort,
  onSort,
  numeric = false,
  description,
}: SortHeaderProps<K>) {
  const active = sort.key === column;
  const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort} className={numeric ? 'pv-num' : undefined}>
      <button type="button" className="pv-sort" onClick={() => onSort(column)} title={description}>
        {label}
        <span className="pv-sort-mark" aria-hidden="true">
          {active ? (sort.descending ? '▼' : '▲') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** Clicking the sorted column flips its order; a new column starts with its natural order. */
export function nextSort<K extends string>(
  current: SortState<K>,
  column: K,
  startsDescending: boolean,
): SortState<K> {
  if (current.key === column) return { key: column, descending: !current.descending };
  return { key: column, descending: startsDescending };
}
