/**
 * memray's view of a run: the peak (bytes and allocations alive), everything allocated, a
 * flame graph of the memory in use at the peak by call stack (native frames marked), the
 * leaks (allocated and never freed), and memray's own capture to open with memray. The
 * figures come from the learner's process, so they are shown, never judged.
 */
import { useMemo } from 'react';
import type { ArtifactName, ProfileResultView } from '../../../src/core/api.js';
import { memoryFlame } from '../../../src/core/concurrency/memory-flame.js';
import type { MemoryLeak, MemoryTreeNode } from '../../../src/core/documents.js';
import { location } from '../../../src/core/names.js';
import { FlameGraph } from './FlameGraph';
import { formatBytes, formatCount } from './format';
import { peakOwners } from './memray-summary';
import type { FunctionRef } from './profile-types';
import { TableHead, num } from './TableHead';
import { Tabs } from './Tabs';

export type MemrayDocument = NonNullable<ProfileResultView['memray']>;

export interface MemrayViewProps {
  memray: MemrayDocument;
  artifactsBase?: string;
  artifacts?: readonly ArtifactName[];
  onSelectFunction?: (fn: FunctionRef) => void;
  /** Leak rows shown. */
  topLeaks?: number;
}

export function MemrayView({
  memray,
  artifactsBase,
  artifacts = [],
  onSelectFunction,
  topLeaks = 20,
}: MemrayViewProps) {
  const flame = useMemo(() => withNativeMarks(memray.peakTree), [memray.peakTree]);
  return (
    <div className="pv-memray" data-testid="memray-view">
      <MemrayHeadline memray={memray} />
      <dl className="pv-facts">
        <Fact label="Peak memory in use" value={formatBytes(memray.peakBytes)} />
        <Fact label="Allocations alive at the peak" value={formatCount(memray.peakAllocations)} />
        <Fact label="Allocated over the whole run" value={formatBytes(memray.totalAllocatedBytes)} />
        <Fact label="Never freed (leaks)" value={formatBytes(memray.leakedBytes)} />
      </dl>
      <p className="pv-muted pv-small">
        {memray.tracer.name} {memray.tracer.version}
        {memray.nativeTraces
          ? ', with native stacks: allocations made in C or C++ show the frames that made them ([native]).'
          : ', Python stacks only.'}
      </p>
      <Tabs
        label="Memory views"
        tabs={[
          {
            id: 'peak',
            label: 'Flame graph at the peak',
            content: <FlameGraph {...flame} unit="bytes" onSelectFunction={onSelectFunction} />,
          },
          {
            id: 'leaks',
            label: `Leaks (${formatCount(memray.leaks.length)})`,
            content: <LeakTable leaks={memray.leaks.slice(0, topLeaks)} />,
          },
        ]}
      />
      {artifactsBase !== undefined && (
        <MemrayDownload
          url={artifacts.includes('memray.bin') ? `${artifactsBase}/memray.bin` : null}
          captureBytes={memray.captureBytes}
        />
      )}
    </div>
  );
}

export default MemrayView;

/** memoryFlame's functions with `native` set again (the flame graph marks C/C++ frames). */
function withNativeMarks(tree: MemoryTreeNode) {
  const flame = memoryFlame(tree);
  const native = new Set<string>();
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as MemoryTreeNode;
    if (node.frame?.native) native.add(`${node.frame.name}\0${node.frame.file}`);
    stack.push(...node.children);
  }
  if (native.size === 0) return flame;
  return {
    callTree: flame.callTree,
    functions: flame.functions.map((f) => ({ ...f, native: native.has(`${f.name}\0${f.file}`) })),
  };
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function MemrayHeadline({ memray }: { memray: MemrayDocument }) {
  const owner = useMemo(() => peakOwners(memray.peakTree, 1)[0], [memray.peakTree]);
  const peak = `At the peak, ${formatBytes(memray.peakBytes)} was in use in ${formatCount(memray.peakAllocations)} allocations`;
  if (!owner)
    return <p className="pv-headline">{peak}; none of it was allocated under your own functions.</p>;
  const where = location(owner.frame);
  return (
    <p className="pv-headline" data-testid="memray-headline">
      {peak}; the most under your function <strong className="pv-code">{owner.frame.name}</strong>
      {where && <span className="pv-code pv-muted"> ({where})</span>}: {formatBytes(owner.bytes)}.
    </p>
  );
}

function LeakTable({ leaks }: { leaks: readonly MemoryLeak[] }) {
  if (leaks.length === 0)
    return <p className="pv-muted">Everything the program allocated was freed before it ended.</p>;
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Leaks">
      <table className="pv-table" data-testid="memray-leaks">
        <TableHead columns={[num('Bytes'), num('Allocations'), 'Allocated at (innermost call first)']} />
        <tbody>
          {leaks.map((leak, i) => {
            const [top, ...rest] = leak.frames;
            return (
              <tr key={i}>
                <td className="pv-num">{formatBytes(leak.bytes)}</td>
                <td className="pv-num">{formatCount(leak.allocations)}</td>
                <td>
                  {top ? frameText(top) : <span className="pv-muted">no stack recorded</span>}
                  {rest.length > 0 && (
                    <details>
                      <summary className="pv-small">{rest.length} more frames</summary>
                      <ol className="pv-stack">
                        {rest.map((frame, j) => (
                          <li key={j}>{frameText(frame)}</li>
                        ))}
                      </ol>
                    </details>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function frameText(frame: MemoryLeak['frames'][number]) {
  return (
    <span className={frame.origin === 'user' ? 'pv-strong' : undefined}>
      <span className="pv-code">
        {frame.name}
        {frame.native ? ' [native]' : ''}
      </span>{' '}
      <span className="pv-code pv-muted pv-small">{location(frame)}</span>
    </span>
  );
}

function MemrayDownload({ url, captureBytes }: { url: string | null; captureBytes: number }) {
  if (!url)
    return (
      <p className="pv-muted pv-small">
        memray&rsquo;s capture ({formatBytes(captureBytes)}) was too big to keep, so there is nothing to
        download.
      </p>
    );
  return (
    <div className="pv-downloads">
      <p>
        <a href={url} download="memray.bin" data-testid="download-memray.bin">
          Download memray.bin
        </a>{' '}
        <span className="pv-muted">
          ({formatBytes(captureBytes)}, memray&rsquo;s own capture). Open it with memray:
        </span>
      </p>
      <pre className="pv-code pv-commands">
        {
          'memray flamegraph memray.bin   # an HTML flame graph\nmemray summary memray.bin      # the biggest allocators\nmemray tree memray.bin         # the peak as a tree'
        }
      </pre>
    </div>
  );
}
