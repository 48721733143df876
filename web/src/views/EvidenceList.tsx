import { formatNumber } from './format';

/** Labels a learner reads more easily than the engine's keys. */
const LABELS: Record<string, string> = {
  argsSummary: 'arguments',
  expectedRepr: 'expected',
  actualRepr: 'returned',
  passedTests: 'tests passed',
  cpusAvailable: 'CPUs',
  learnerS: 'your times (s)',
  serialS: 'serial times (s)',
  bytesPerInstance: 'bytes per instance',
  hasDict: 'has __dict__',
  className: 'class',
  requiredSpeedup: 'speed-up needed',
  waitedMs: 'waited between measurements (ms)',
};

const UNIT_SUFFIXES: [RegExp, string][] = [
  [/Ms$/, ' (ms)'],
  [/Mb$/, ' (MB)'],
  [/S$/, ' (s)'],
];

/** camelCase keys as words, with their unit suffix spelled out: wallS → "wall (s)". */
export function labelFor(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  let unit = '';
  let stem = key;
  for (const [suffix, text] of UNIT_SUFFIXES) {
    if (suffix.test(stem) && stem.length > 2) {
      stem = stem.replace(suffix, '');
      unit = text;
      break;
    }
  }
  return `${stem.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()}${unit}`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A compact rendering of any evidence record: numbers formatted, lists of records as tables. */
export function EvidenceList({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return null;
  return (
    <dl className="pv-kv">
      {entries.map(([key, value]) => (
        <div key={key} className={isWide(value) ? 'pv-kv-wide' : undefined}>
          <dt>{labelFor(key)}</dt>
          <dd>
            <EvidenceValue value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

const isWide = (value: unknown): boolean =>
  (Array.isArray(value) && value.some(isPlainObject)) ||
  isPlainObject(value) ||
  (typeof value === 'string' && isLongText(value));

const isLongText = (text: string) => text.trimEnd().includes('\n') || text.length > 80;

function EvidenceValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="pv-muted">—</span>;
  if (typeof value === 'number') return <>{formatNumber(value)}</>;
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'string') {
    if (value === '') return <span className="pv-muted">(empty)</span>;
    return isLongText(value) ? (
      <pre className="pv-pre">{value}</pre>
    ) : (
      <span className="pv-code">{value.trimEnd()}</span>
    );
  }
  if (Array.isArray(value)) return <EvidenceArray values={value} />;
  if (isPlainObject(value)) return <EvidenceList evidence={value} />;
  return <>{String(value)}</>;
}

/** Short numeric lists in full; long ones as their range, since a wall of numbers says little. */
function EvidenceArray({ values }: { values: unknown[] }) {
  if (values.length === 0) return <span className="pv-muted">none</span>;
  if (values.every((v) => typeof v === 'number')) {
    if (values.length <= 8) return <>{values.map(formatNumber).join(', ')}</>;
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    return (
      <>
        {values.length} values, median {formatNumber(median)} (range {formatNumber(sorted[0] as number)}–
        {formatNumber(sorted[sorted.length - 1] as number)})
      </>
    );
  }
  if (values.every(isPlainObject)) return <RecordTable rows={values} />;
  return (
    <ul className="pv-plain-list">
      {values.map((v, i) => (
        <li key={i}>
          <EvidenceValue value={v} />
        </li>
      ))}
    </ul>
  );
}

function RecordTable({ rows }: { rows: Record<string, unknown>[] }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Evidence table">
      <table className="pv-table pv-compact">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {labelFor(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((column) => (
                <td key={column}>
                  <EvidenceValue value={row[column]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
