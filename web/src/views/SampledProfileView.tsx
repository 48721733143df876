/**
 * py-spy's view of a run: every process and thread with its samples, sampled time, on-CPU and
 * idle time (from the kernel, read by the host) and GIL share when collected; choosing a
 * thread shows its functions and its flame graph. The rate is stated, since a sample stands
 * for 1000 / rate ms. The timeline of the same samples is a tab of its own.
 */
import { useMemo, useState } from 'react';
import type { ArtifactName } from '../../../src/core/api.js';
import type { SampledProfile, SampledThread } from '../../../src/core/concurrency/sampled-profile.js';
import type { Timeline } from '../../../src/core/concurrency/timeline.js';
import { displayName, location } from '../../../src/core/names.js';
import { ArtifactDownloads } from './ArtifactDownloads';
import { FlameGraph } from './FlameGraph';
import { formatCount, formatMs, formatPercent } from './format';
import { OriginTag } from './OriginTag';
import type { FunctionRef } from './profile-types';
import {
  defaultThreadKey,
  hottestFunction,
  nameList,
  threadFunctionRows,
  threadsByProcess,
} from './sampled-rows';
import { ShowInEditor } from './ShowInEditor';
import { TableHead, num } from './TableHead';
import { Tabs } from './Tabs';
import { TimelineView } from './TimelineView';

export interface SampledProfileViewProps {
  sampled: SampledProfile;
  timeline: Timeline | null;
  artifactsBase?: string;
  artifacts?: readonly ArtifactName[];
  onSelectFunction?: (fn: FunctionRef) => void;
}

const DOWNLOADS: readonly ArtifactName[] = ['sampled.speedscope.json', 'trace.json'];

export function SampledProfileView({
  sampled,
  timeline,
  artifactsBase,
  artifacts = [],
  onSelectFunction,
}: SampledProfileViewProps) {
  const [threadKey, setThreadKey] = useState(() => defaultThreadKey(sampled));
  const thread = sampled.threads.find((t) => t.key === threadKey) ?? null;
  const traceUrl =
    artifactsBase && artifacts.includes('trace.json') ? `${artifactsBase}/trace.json` : undefined;
  return (
    <div className="pv-sampled" data-testid="sampled-profile">
      <SampledHeadline sampled={sampled} />
      <p className="pv-muted pv-small" data-testid="sampled-rate">
        {sampled.tool.name} {sampled.tool.version}, {formatCount(sampled.rateHz)} samples/s:{' '}
        {formatCount(sampled.sampleCount)} samples over {formatMs(sampled.durationMs)}, from outside the
        program.
        {sampled.gilCollected ? ' GIL holding was sampled too.' : ' GIL holding was not collected.'}
      </p>
      {sampled.errors.length > 0 && (
        <ul className="pv-note" role="note">
          {sampled.errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      <Tabs
        label="Sampled profile views"
        tabs={[
          {
            id: 'threads',
            label: 'Threads and processes',
            content: (
              <>
                <ThreadTable sampled={sampled} selected={threadKey} onSelect={setThreadKey} />
                {thread && (
                  <ThreadDetail sampled={sampled} thread={thread} onSelectFunction={onSelectFunction} />
                )}
              </>
            ),
          },
          ...(timeline
            ? [
                {
                  id: 'timeline',
                  label: 'Timeline',
                  content: <TimelineView timeline={timeline} traceUrl={traceUrl} />,
                },
              ]
            : []),
        ]}
      />
      {artifactsBase !== undefined && (
        <ArtifactDownloads base={artifactsBase} names={DOWNLOADS.filter((n) => artifacts.includes(n))} />
      )}
    </div>
  );
}

function SampledHeadline({ sampled }: { sampled: SampledProfile }) {
  const hottest = useMemo(() => hottestFunction(sampled), [sampled]);
  if (!hottest)
    return (
      <p className="pv-headline">
        None of your own functions was on top of a sample in {formatCount(sampled.threads.length)} threads.
      </p>
    );
  const where = location(hottest.fn);
  return (
    <p className="pv-headline" data-testid="sampled-headline">
      Your hottest function is <strong className="pv-code">{displayName(hottest.fn)}</strong>
      {where && <span className="pv-code pv-muted"> ({where})</span>}: on top of the stack for{' '}
      {formatMs(hottest.selfMs)} of thread time, in {hottest.threads.length === 1 ? 'thread' : 'threads'}{' '}
      <strong>{nameList(hottest.threads.map((t) => t.name))}</strong>.
    </p>
  );
}

interface ThreadTableProps {
  sampled: SampledProfile;
  selected: string | null;
  onSelect: (key: string) => void;
}

function ThreadTable({ sampled, selected, onSelect }: ThreadTableProps) {
  const groups = useMemo(() => threadsByProcess(sampled), [sampled]);
  const msPerSample = sampled.rateHz > 0 ? 1000 / sampled.rateHz : 0;
  const columns = [
    'Process / thread',
    num('Samples'),
    num('Sampled time', 'samples ÷ rate'),
    num('On CPU', 'user + system time from the kernel'),
    num('Idle', 'seen alive but not on a CPU'),
    ...(sampled.gilCollected ? [num('GIL held', 'share of samples holding the GIL')] : []),
  ];
  return (
    <div className="pv-scroll" tabIndex={0} role="region" aria-label="Threads and processes">
      <table className="pv-table" data-testid="sampled-threads">
        <TableHead columns={columns} />
        <tbody>
          {groups.map(({ process, threads }) => (
            <ProcessRows
              key={process.key}
              processLabel={`process ${process.pid}: ${process.command}`}
              processSamples={process.samples}
              processCpuMs={process.cpuMs}
              threads={threads}
              msPerSample={msPerSample}
              gil={sampled.gilCollected}
              selected={selected}
              onSelect={onSelect}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ProcessRowsProps {
  processLabel: string;
  processSamples: number;
  processCpuMs: number | null;
  threads: readonly SampledThread[];
  msPerSample: number;
  gil: boolean;
  selected: string | null;
  onSelect: (key: string) => void;
}

function ProcessRows(props: ProcessRowsProps) {
  const { processLabel, processSamples, processCpuMs, threads, msPerSample, gil, selected, onSelect } = props;
  const ms = (value: number | null) => (value === null ? '—' : formatMs(value));
  return (
    <>
      <tr className="pv-group-row">
        <th scope="rowgroup" className="pv-code" title={processLabel}>
          {processLabel.length > 70 ? `${processLabel.slice(0, 69)}…` : processLabel}
        </th>
        <td className="pv-num">{formatCount(processSamples)}</td>
        <td className="pv-num">{formatMs(processSamples * msPerSample)}</td>
        <td className="pv-num">{ms(processCpuMs)}</td>
        <td />
        {gil && <td />}
      </tr>
      {threads.map((t) => (
        <tr key={t.key} className={t.key === selected ? 'pv-selected' : undefined}>
          <th scope="row" className="pv-indent">
            <button
              type="button"
              className="pv-link"
              aria-pressed={t.key === selected}
              onClick={() => onSelect(t.key)}
              data-testid="sampled-thread"
              data-thread={t.name}
            >
              {t.name}
            </button>
            {t.tid !== null && <span className="pv-muted pv-small"> tid {t.tid}</span>}
          </th>
          <td className="pv-num">{formatCount(t.samples)}</td>
          <td className="pv-num">{formatMs(t.sampledMs)}</td>
          <td className="pv-num">{ms(t.cpuMs)}</td>
          <td className="pv-num">{ms(t.idleMs)}</td>
          {gil && (
            <td className="pv-num">
              {t.gilSamples === null || t.samples === 0 ? '—' : formatPercent(t.gilSamples / t.samples)}
            </td>
          )}
        </tr>
      ))}
    </>
  );
}

interface ThreadDetailProps {
  sampled: SampledProfile;
  thread: SampledThread;
  onSelectFunction?: (fn: FunctionRef) => void;
}

function ThreadDetail({ sampled, thread, onSelectFunction }: ThreadDetailProps) {
  const rows = useMemo(() => threadFunctionRows(sampled, thread).slice(0, 30), [sampled, thread]);
  return (
    <section
      className="pv-thread-detail"
      aria-label={`Thread ${thread.name}`}
      data-testid="sampled-thread-detail"
    >
      <h4 className="pv-heading">
        Thread <span className="pv-code">{thread.name}</span>
        <span className="pv-muted pv-small">{formatMs(thread.sampledMs)} sampled</span>
      </h4>
      <div className="pv-scroll" tabIndex={0} role="region" aria-label={`Functions of ${thread.name}`}>
        <table className="pv-table" data-testid="sampled-functions">
          <TableHead
            columns={[
              'Function',
              'Where',
              num('Self', 'samples with the function on top'),
              num('Total', 'samples with the function anywhere on the stack'),
              num('Self share'),
              ...(sampled.gilCollected ? [num('GIL held')] : []),
            ]}
          />
          <tbody>
            {rows.map(({ fn, selfMs, totalMs, selfShare, gilShare }) => (
              <tr key={fn.id}>
                <th scope="row" className="pv-code">
                  {fn.origin === 'user' && onSelectFunction ? (
                    <>
                      {displayName(fn)} <ShowInEditor fn={fn} onSelectFunction={onSelectFunction} />
                    </>
                  ) : (
                    displayName(fn)
                  )}
                </th>
                <td>
                  <span className="pv-code pv-small">{location(fn)}</span> <OriginTag origin={fn.origin} />
                </td>
                <td className="pv-num">{formatMs(selfMs)}</td>
                <td className="pv-num">{formatMs(totalMs)}</td>
                <td className="pv-num">{formatPercent(selfShare)}</td>
                {sampled.gilCollected && (
                  <td className="pv-num">{gilShare === null ? '—' : formatPercent(gilShare)}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4 className="pv-subheading">Flame graph of {thread.name}</h4>
      <FlameGraph
        key={thread.key}
        callTree={thread.callTree}
        functions={sampled.functions}
        unit="ms"
        onSelectFunction={onSelectFunction}
      />
    </section>
  );
}
