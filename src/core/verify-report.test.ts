import { describe, expect, it } from 'vitest';
import {
  checkStatus,
  combinedStatus,
  reportStatus,
  undecidedExtras,
  type CheckResult,
  type VerifyReport,
} from './verify-report.js';
import { verifyReportSchema } from './verify-report-schema.js';

/** A report as stored by version 1: no status anywhere, and an evidence field this version does not name. */
const storedV1 = {
  schema: 'perflab.verify/1',
  exercise: 'pair-count',
  graded: 'solution',
  passed: false,
  checks: [
    {
      id: 'fast-enough',
      kind: 'speed',
      title: 'fast enough',
      passed: false,
      sentence:
        'not yet fast enough: 1.2× (95% interval 1.1–1.3×, 5 interleaved rounds) faster than the starter; needs at least 4×',
      evidence: { speedup: 1.2, interval: [1.1, 1.3], rounds: 5, oldField: 'kept' },
    },
    { id: 'hangs-not', kind: 'hang', title: 'finishes', passed: true, sentence: 'finished', evidence: {} },
  ],
  sandbox: 'bubblewrap',
  isolated: true,
  wallMs: 1234,
};

describe('verify report status', () => {
  it('failed beats undecided beats passed; version 1 reports are read by `passed`', () => {
    expect(combinedStatus(['passed', 'undecided', 'passed'])).toBe('undecided');
    expect(combinedStatus(['undecided', 'failed'])).toBe('failed');
    expect(combinedStatus(['passed'])).toBe('passed');
    expect(checkStatus({ passed: false })).toBe('failed');
    expect(checkStatus({ passed: false, status: 'undecided' })).toBe('undecided');
    expect(reportStatus(storedV1 as VerifyReport)).toBe('failed');
  });
});

describe('reading stored reports', () => {
  it('reads a version 1 report without statuses or the speed threshold, keeping unknown fields', () => {
    const report = verifyReportSchema.parse(storedV1);
    expect(report).toEqual(storedV1);
    const speed = report.checks[0];
    expect(speed?.kind === 'speed' && speed.evidence.requiredSpeedup).toBeUndefined();
  });

  it('passes on evidence of a shape this version does not expect, as it was stored', () => {
    const odd = { ...storedV1, checks: [{ ...storedV1.checks[1], evidence: { stuck: 'one line' } }] };
    expect(verifyReportSchema.parse(odd)).toEqual(odd);
  });

  it('refuses what is no verify report (a check of an unknown kind, a missing field)', () => {
    const unknownKind = { ...storedV1, checks: [{ ...storedV1.checks[1], kind: 'telepathy' }] };
    expect(verifyReportSchema.safeParse(unknownKind).success).toBe(false);
    const { wallMs: _dropped, ...noWall } = storedV1;
    expect(verifyReportSchema.safeParse(noWall).success).toBe(false);
  });

  it('types the undecided extras of the kinds that can be undecided', () => {
    const undecided: CheckResult = {
      id: 'uses-every-cpu',
      kind: 'cpu-scaling',
      title: 'scales',
      passed: false,
      status: 'undecided',
      sentence: 'could not be decided',
      evidence: { capacity: 1.1, attempts: 3, waitedMs: 20_000 },
    };
    expect(undecidedExtras(undecided)).toEqual({ attempts: 3, waitedMs: 20_000 });
    expect(undecidedExtras({ ...undecided, evidence: { capacity: 1.1 } })).toBeNull();
  });
});

describe('display-only views in the evidence (issue 12)', () => {
  const timeline = {
    format: 'perflab.timeline/1',
    source: 'py-spy',
    sampleRateHz: 100,
    durationUs: 1000,
    lanes: [],
    spans: [],
    summary: [],
    truncated: false,
    notes: [],
  };
  const withViews = {
    ...storedV1,
    schema: 'perflab.verify/2',
    checks: [
      {
        id: 'fetches-overlap',
        kind: 'overlap',
        title: 'overlap',
        passed: false,
        status: 'failed',
        sentence: 'one at a time',
        evidence: { maxInFlight: 1, timeline, concurrency: 'at most 1 of 6 fetches was in flight at once' },
      },
      {
        id: 'compact-records',
        kind: 'memory-per-instance',
        title: 'compact',
        passed: true,
        status: 'passed',
        sentence: 'small',
        evidence: {
          bytesPerInstance: 300,
          memoryPeak: { peakBytes: 10, tree: { frame: null, bytes: 10, allocations: 1, children: [] } },
        },
      },
    ],
  };

  it('reads a timeline and a memory flame graph, and reports stored before them without', () => {
    expect(verifyReportSchema.parse(withViews)).toEqual(withViews);
    const overlap = verifyReportSchema.parse(withViews).checks[0];
    expect(overlap?.kind === 'overlap' && overlap.evidence.timeline?.sampleRateHz).toBe(100);
    expect(verifyReportSchema.parse(storedV1)).toEqual(storedV1);
  });
});
