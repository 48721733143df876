import { useId, useMemo, useState } from 'react';
import type { ProfiledFunction } from '../../../src/core/documents.js';
import { displayName, location } from '../../../src/core/names.js';
import { formatCount, formatNumber } from './format';
import { FUNCTION_COLUMNS, functionRows, perCallUs, type FunctionColumn } from './function-rows';
import { OriginTag } from './OriginTag';
import { SortHeader, nextSort, type SortState } from './SortHeader';
import type { FunctionRef } from './profile-types';

const DEFAULT_LIMIT = 50;

interface FunctionTableProps {
  functions: readonly ProfiledFunction[];
  onSelectFunction?: (fn: FunctionRef) => void;
}

export function FunctionTable({ functions, onSelectFunction }: FunctionTableProps) {
  const filterId = useId();
  const [onlyMine, setOnlyMine] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const [sort, setSort] = useState<SortState<FunctionColumn>>({ key: 'tottime', descending: true });

  const rows = useMemo(() => functionRows(functions, sort, onlyMine), [functions, onlyMine, sort]);
  const visible = showAll ? rows : rows.slice(0, DEFAULT_LIMIT);

  const onSort = (column: FunctionColumn) => {
    const numeric = FUNCTION_COLUMNS.find((c) => c.column === column)?.numeric ?? false;
    setSort((current) => nextSort(current, column, numeric));
  };

  return (
    <div className="pv-function-table">
      <div className="pv-toolbar">
        <input
          id={filterId}
          type="checkbox"
          checked={onlyMine}
          onChange={(event) => setOnlyMine(event.target.checked)}
        />
        <label htmlFor={filterId}>Only my code</label>
        <span className="pv-muted" aria-live="polite">
          {visible.length} of {rows.length} functions
          {onlyMine ? ` (${functions.length} in all)` : ''}
        </span>
      </div>
      <div className="pv-scroll" tabIndex={0} role="region" aria-label="Profiled functions">
        <table className="pv-table" data-testid="profile-table">
          <caption className="pv-visually-hidden">
            Profiled functions, sorted by {sort.key} {sort.descending ? 'descending' : 'ascending'}
          </caption>
          <thead>
            <tr>
              {FUNCTION_COLUMNS.map((c) => (
                <SortHeader key={c.column} {...c} sort={sort} onSort={onSort} />
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((fn) => (
              <FunctionRow key={fn.id} fn={fn} onSelectFunction={onSelectFunction} />
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && (
        <p className="pv-muted">
          {onlyMine ? 'None of your own functions took measurable time.' : 'No functions were profiled.'}
        </p>
      )}
      {rows.length > DEFAULT_LIMIT && (
        <button type="button" className="pv-button" onClick={() => setShowAll((all) => !all)}>
          {showAll ? `Show the top ${DEFAULT_LIMIT}` : `Show all ${rows.length} functions`}
        </button>
      )}
    </div>
  );
}

function FunctionRow({
  fn,
  onSelectFunction,
}: {
  fn: ProfiledFunction;
  onSelectFunction?: (fn: FunctionRef) => void;
}) {
  const name = displayName(fn);
  const where = location(fn);
  const selectable = onSelectFunction && fn.origin === 'user' && where !== '';
  const calls =
    fn.ncalls === fn.primitiveCalls
      ? formatCount(fn.ncalls)
      : `${formatCount(fn.ncalls)}/${formatCount(fn.primitiveCalls)}`;
  return (
    <tr className={fn.origin === 'user' ? 'pv-row-user' : undefined}>
      <th scope="row" className="pv-fn-name">
        {selectable ? (
          <button
            type="button"
            className="pv-link"
            onClick={() => onSelectFunction({ file: fn.file, line: fn.line, name: fn.name })}
            title={`Show ${name} in the editor`}
          >
            {name}
          </button>
        ) : (
          <span className="pv-code">{name}</span>
        )}
        {fn.origin !== 'user' && <OriginTag origin={fn.origin} />}
      </th>
      <td className="pv-code pv-location" title={fn.file}>
        {where}
      </td>
      <td className="pv-num">{calls}</td>
      <td className="pv-num">{formatNumber(fn.tottimeMs)}</td>
      <td className="pv-num">{formatNumber(fn.cumtimeMs)}</td>
      <td className="pv-num">{formatNumber(perCallUs(fn))}</td>
    </tr>
  );
}
