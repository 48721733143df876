import type { AllocationSite, HarnessResultOf } from '../../../src/core/documents.js';
import { peakSitesCaveat } from '../../../src/core/memory-report.js';
import { shortPath } from '../../../src/core/names.js';
import { formatBytes, formatCount } from './format';
import { OriginTag } from './OriginTag';
import { TableHead, num } from './TableHead';

interface MemoryViewProps {
  memory: HarnessResultOf<'memory'>;
  /** Rows per table. */
  top?: number;
}

/** tracemalloc's view: the peak, where the memory at the peak was allocated, and what survives. */
export function MemoryView({ memory, top = 15 }: MemoryViewProps) {
  const caveat = peakSitesCaveat(memory);
  return (
    <div className="pv-memory">
      <dl className="pv-facts">
        <div>
          <dt>Peak traced memory</dt>
          <dd>{formatBytes(memory.peakBytes)}</dd>
        </div>
        <div>
          <dt>Still allocated at exit</dt>
          <dd>{formatBytes(memory.finalBytes)}</dd>
        </div>
      </dl>
      <h4 className="pv-heading">Top allocation sites at the peak</h4>
      {caveat && (
        <p className="pv-note" role="note">
          {caveat}
        </p>
      )}
      <SitesTable sites={memory.peakSites.slice(0, top)} />
      {memory.types.length > 0 && (
        <>
          <h4 className="pv-heading">Biggest object types alive at exit</h4>
          <div className="pv-scroll" tabIndex={0} role="region" aria-label="Object types">
            <table className="pv-table pv-table-narrow">
              <TableHead columns={['type', num('objects'), num('size')]} />
              <tbody>
                {memory.types.slice(0, top).map((t) => (
                  <tr key={t.type}>
                    <th scope="row" className="pv-code">
                      {t.type}
                    </th>
                    <td className="pv-num">{formatCount(t.count)}</td>
                    <td className="pv-num">{formatBytes(t.sizeBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

function SitesTable({ sites }: { sites: readonly AllocationSite[] }) {
  if (sites.length === 0) return <p className="pv-muted">No allocations were traced.</p>;
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Allocation sites">
      <table className="pv-table" data-testid="memory-sites">
        <TableHead columns={['where', num('size'), num('blocks'), 'source']} />
        <tbody>
          {sites.map((site) => (
            <tr
              key={`${site.file}:${site.line}`}
              className={site.origin === 'user' ? 'pv-row-user' : undefined}
            >
              <th scope="row" className="pv-code pv-location" title={site.file}>
                {shortPath(site.file)}:{site.line}
                {site.origin !== 'user' && <OriginTag origin={site.origin} />}
              </th>
              <td className="pv-num">{formatBytes(site.sizeBytes)}</td>
              <td className="pv-num">{formatCount(site.count)}</td>
              <td className="pv-source">
                <code>{site.source.trim()}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
