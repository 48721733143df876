/**
 * A job's downloads (ARTIFACT_NAMES in core/api.ts): kept gzipped inside the job's stored
 * result, under ARTIFACTS_KEY, so they survive a restart; the views the browser gets never
 * carry them (see `withoutArtifacts`). Results stored before there were several artifacts carry
 * raw pstats as `pstatsBase64`; they are still read.
 *
 * Units: `bytes` is the file's size as downloaded; the per-job cap counts gzipped bytes (what
 * the store holds).
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ArtifactName } from '../core/api.js';
import { formatBytes } from '../core/format.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Gzipped bytes of downloads one job keeps; a file that would go over it is not kept. */
export const MAX_ARTIFACT_BYTES_PER_JOB = 24 * 1024 * 1024;

/** Where the stored result keeps the files; the legacy key of raw pstats. */
const ARTIFACTS_KEY = 'artifactFiles';
const LEGACY_PSTATS_KEY = 'pstatsBase64';

export interface PackedArtifact {
  gzipBase64: string;
  /** Size of the file itself (ungzipped). */
  bytes: number;
}
export type PackedArtifacts = Partial<Record<ArtifactName, PackedArtifact>>;
export type ArtifactFiles = Partial<Record<ArtifactName, Buffer>>;

/** How each download is served: its content type and the file name after `perflab-<id8>`. */
export const ARTIFACT_FORMATS: Record<ArtifactName, { contentType: string; suffix: string }> = {
  'profile.prof': { contentType: 'application/octet-stream', suffix: '.prof' },
  'profile.speedscope.json': { contentType: 'application/json', suffix: '.speedscope.json' },
  'trace.json': { contentType: 'application/json', suffix: '.trace.json' },
  'sampled.speedscope.json': { contentType: 'application/json', suffix: '.sampled.speedscope.json' },
  'memray.bin': { contentType: 'application/octet-stream', suffix: '.memray.bin' },
};

/**
 * Gzips `files` in order and keeps each while the job's total stays within `capBytes`; a file
 * that would go over it is left out (a later, smaller one may still fit). `dropped` says which
 * and why, a sentence each.
 */
export async function packArtifacts(
  files: ArtifactFiles,
  capBytes = MAX_ARTIFACT_BYTES_PER_JOB,
): Promise<{ packed: PackedArtifacts; dropped: { name: ArtifactName; sentence: string }[] }> {
  const packed: PackedArtifacts = {};
  const dropped: { name: ArtifactName; sentence: string }[] = [];
  let total = 0;
  for (const [name, content] of Object.entries(files) as [ArtifactName, Buffer][]) {
    const gz = await gzipAsync(content);
    if (total + gz.length > capBytes) {
      dropped.push({
        name,
        sentence: `${name} (${formatBytes(content.length)}, ${formatBytes(gz.length)} gzipped) is not kept for download: a job keeps at most ${formatBytes(capBytes)} of downloads`,
      });
      continue;
    }
    total += gz.length;
    packed[name] = { gzipBase64: gz.toString('base64'), bytes: content.length };
  }
  return { packed, dropped };
}

/** The stored result: the view with the packed files beside it. */
export function withArtifacts(result: unknown, packed: PackedArtifacts | undefined): unknown {
  if (!packed || Object.keys(packed).length === 0 || typeof result !== 'object' || result === null)
    return result;
  return { ...result, [ARTIFACTS_KEY]: packed };
}

/** The view of a stored result: without the files (new and legacy). */
export function withoutArtifacts(result: Record<string, unknown>): Record<string, unknown> {
  const { [ARTIFACTS_KEY]: _files, [LEGACY_PSTATS_KEY]: _pstats, ...view } = result;
  return view;
}

/** A view whose `artifacts` list no longer names `names` (left out for size). */
export function withoutNames(result: unknown, names: ArtifactName[]): unknown {
  const listed = (result as { artifacts?: unknown } | null)?.artifacts;
  if (names.length === 0 || !Array.isArray(listed)) return result;
  return { ...(result as object), artifacts: listed.filter((n) => !names.includes(n as ArtifactName)) };
}

/**
 * A finished job's files packed for keeping, and its view without the names of files left
 * out for size; `notes` say which and why (the job's progress lines show them).
 */
export async function keepArtifacts<V>(
  view: V,
  files: ArtifactFiles,
): Promise<{ view: V; packed: PackedArtifacts; notes: string[] }> {
  const { packed, dropped } = await packArtifacts(files);
  const names = dropped.map((d) => d.name);
  return { view: withoutNames(view, names) as V, packed, notes: dropped.map((d) => d.sentence) };
}

/** One packed file, ungzipped; null when there is none by that name. */
export async function artifactIn(packed: PackedArtifacts | null, name: ArtifactName): Promise<Buffer | null> {
  const file = packed?.[name];
  return file ? gunzipAsync(Buffer.from(file.gzipBase64, 'base64')) : null;
}

/** One file of a stored result (a legacy result's pstats are profile.prof); null when it has none. */
export async function storedArtifact(result: unknown, name: ArtifactName): Promise<Buffer | null> {
  if (typeof result !== 'object' || result === null) return null;
  const fields = result as Record<string, unknown>;
  const packed = fields[ARTIFACTS_KEY];
  const found = await artifactIn(typeof packed === 'object' ? (packed as PackedArtifacts) : null, name);
  const legacy = fields[LEGACY_PSTATS_KEY];
  if (!found && name === 'profile.prof' && typeof legacy === 'string') return Buffer.from(legacy, 'base64');
  return found;
}
