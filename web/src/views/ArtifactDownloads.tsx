import type { ArtifactName } from '../../../src/core/api.js';

/** What each download is and how to open it, in the tools people already use. */
const HOW_TO_OPEN: Record<ArtifactName, string> = {
  'profile.prof': 'pstats, for snakeviz or python -m pstats',
  'profile.speedscope.json': 'open at speedscope.app',
  'sampled.speedscope.json': 'every thread’s samples; open at speedscope.app',
  'trace.json': 'Chrome trace: at ui.perfetto.dev choose “Open trace file”, or load it in chrome://tracing',
  'memray.bin': 'memray’s capture: memray flamegraph memray.bin, or memray summary memray.bin',
};

/** Download links for a job's artifacts (`base`: the job's artifacts folder, no trailing slash). */
export function ArtifactDownloads({ base, names }: { base: string; names: readonly ArtifactName[] }) {
  if (names.length === 0) return null;
  return (
    <ul className="pv-downloads pv-download-list" aria-label="Downloads">
      {names.map((name) => (
        <li key={name}>
          <a href={`${base}/${name}`} download={name} data-testid={`download-${name}`}>
            {name}
          </a>{' '}
          <span className="pv-muted">({HOW_TO_OPEN[name]})</span>
        </li>
      ))}
    </ul>
  );
}
