import type { CSSProperties } from 'react';
import type { FunctionLineTimings } from '../../../src/core/documents.js';
import { shortPath } from '../../../src/core/names.js';
import { formatCount, formatNumber, formatPercent } from './format';
import type { FunctionRef } from './profile-types';
import { ShowInEditor } from './ShowInEditor';
import { TableHead, num } from './TableHead';

interface LineTimingsProps {
  functions: readonly FunctionLineTimings[];
  onSelectFunction?: (fn: FunctionRef) => void;
}

/** Per-line time of the hottest functions, each line tinted by its share of the function's time. */
export function LineTimings({ functions, onSelectFunction }: LineTimingsProps) {
  return (
    <div className="pv-line-timings" data-testid="line-timings">
      {functions.length === 0 && (
        <p className="pv-muted">No line timings: none of your functions took measurable time.</p>
      )}
      {functions.map((fn) => (
        <FunctionLines key={`${fn.file}:${fn.line}`} fn={fn} onSelectFunction={onSelectFunction} />
      ))}
    </div>
  );
}

function FunctionLines({
  fn,
  onSelectFunction,
}: {
  fn: FunctionLineTimings;
  onSelectFunction?: (fn: FunctionRef) => void;
}) {
  const where = `${shortPath(fn.file)}:${fn.line}`;
  return (
    <section className="pv-line-function" aria-label={`Line timings of ${fn.name}`}>
      <h4 className="pv-heading">
        <span className="pv-code">{fn.name}</span> <span className="pv-muted pv-code">{where}</span>{' '}
        <span className="pv-muted">{formatNumber(fn.totalMs)} ms</span>
        {onSelectFunction && <ShowInEditor fn={fn} onSelectFunction={onSelectFunction} />}
      </h4>
      <div className="pv-scroll" tabIndex={0} role="region" aria-label={`Lines of ${fn.name}`}>
        <table className="pv-table pv-lines">
          <TableHead columns={[num('line'), num('hits'), num('ms'), '% time', 'source']} />
          <tbody>
            {fn.lines.map((line) => {
              const share = fn.totalMs > 0 ? line.timeMs / fn.totalMs : 0;
              const ran = line.hits > 0;
              return (
                <tr
                  key={line.line}
                  className={ran ? undefined : 'pv-line-idle'}
                  style={{ '--pv-heat': `${Math.round(Math.min(1, share) * 100)}%` } as CSSProperties}
                >
                  <td className="pv-num pv-muted">{line.line}</td>
                  <td className="pv-num">{ran ? formatCount(line.hits) : ''}</td>
                  <td className="pv-num">{ran ? formatNumber(line.timeMs) : ''}</td>
                  <td className="pv-share">{ran && <ShareBar share={share} />}</td>
                  <td className="pv-source">
                    <code>{line.source}</code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ShareBar({ share }: { share: number }) {
  return (
    <span className="pv-bar">
      <span className="pv-bar-fill" style={{ width: `${Math.min(1, share) * 100}%` }} />
      <span className="pv-bar-text">{formatPercent(share)}</span>
    </span>
  );
}
