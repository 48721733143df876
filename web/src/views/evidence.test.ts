/**
 * The verification report's evidence views read typed evidence by name, never the sentence:
 * readers on made-up evidence, and the report rendered to HTML (server-side, no DOM).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CheckResultOf, VerifyReport } from '../../../src/core/verify-report.js';
import { readGrowthEvidence, readHangEvidence, readSpeedEvidence } from './evidence';
import { VerifyReportView } from './VerifyReportView';

const speedCheck = (evidence: CheckResultOf<'speed'>['evidence'], sentence = ''): CheckResultOf<'speed'> => ({
  id: 'fast-enough',
  kind: 'speed',
  title: 'At least 5× faster than the starter',
  passed: true,
  status: 'passed',
  sentence,
  evidence,
});
const measured = { speedup: 18.4, interval: [17, 20] as [number, number], rounds: 7 };

describe('speed evidence', () => {
  it('takes the threshold from the evidence: at least K× faster, or within K× of the reference', () => {
    expect(readSpeedEvidence(speedCheck({ ...measured, atLeast: 5, within: null }))?.threshold).toEqual({
      kind: 'at-least',
      value: 5,
    });
    expect(readSpeedEvidence(speedCheck({ ...measured, atLeast: null, within: 1.5 }))?.threshold).toEqual({
      kind: 'within',
      value: 1.5,
    });
  });

  it('never reads the threshold out of the sentence (a stored report without it has none)', () => {
    const old = speedCheck(
      measured,
      '18× (95% interval 17–20×, 7 interleaved rounds) faster than the starter; needs at least 5×',
    );
    expect(readSpeedEvidence(old)).toMatchObject({ speedup: 18.4, low: 17, high: 20, threshold: null });
  });

  it('draws nothing on a log axis without a positive speed-up and interval', () => {
    expect(
      readSpeedEvidence(
        speedCheck({ wrongResult: { argsSummary: '()', expectedRepr: '1', actualRepr: '2' } }),
      ),
    ).toBeNull();
    expect(readSpeedEvidence(speedCheck({ ...measured, interval: [0, 20] }))).toBeNull();
  });
});

describe('growth and hang evidence', () => {
  it('keeps only the points a log-log plot can draw', () => {
    const growth = readGrowthEvidence({
      learner: [
        { n: 0, timeS: 1 },
        { n: 10, timeS: 0.001 },
      ],
      reference: [],
      learnerFit: { model: 'n²', logLogSlope: 2 },
      limit: 'n',
    });
    expect(growth).toEqual({
      learner: [{ n: 10, timeS: 0.001 }],
      reference: null,
      learnerFit: { model: 'n²', logLogSlope: 2 },
      referenceFit: null,
      limit: 'n',
    });
    expect(readGrowthEvidence({ measurement: { error: 'boom' } })).toBeNull();
  });

  it('reads where a hung run was stuck, and nothing from an empty record', () => {
    expect(readHangEvidence({ stuck: ['MainThread: main.py:7'], wallMs: 5000 })).toEqual({
      stuck: ['MainThread: main.py:7'],
      stdout: '',
      stderr: '',
      wallMs: 5000,
      exitCode: null,
    });
    expect(readHangEvidence({})).toBeNull();
  });
});

describe('VerifyReportView', () => {
  const report: VerifyReport = {
    schema: 'perflab.verify/2',
    exercise: 'pair-count',
    graded: 'solution',
    passed: false,
    status: 'failed',
    checks: [
      speedCheck({
        ...measured,
        atLeast: 5,
        within: null,
        requiredSpeedup: 5,
        baselineMedianS: 0.2,
        candidateMedianS: 0.011,
      }),
      {
        id: 'finishes',
        kind: 'hang',
        title: 'Finishes',
        passed: false,
        status: 'failed',
        sentence: 'did not finish within 5 s',
        evidence: {
          stuck: ['MainThread: main.py:7 in wait'],
          stdout: 'partial\n',
          wallMs: 5000,
          exitCode: null,
        },
      },
    ],
    sandbox: 'bubblewrap',
    isolated: true,
    wallMs: 1234,
  };
  const html = renderToStaticMarkup(createElement(VerifyReportView, { report }));

  it('draws the speed-up against the threshold from the evidence, as one ratio style', () => {
    expect(html).toContain(
      '18.4× faster than the starter (95% interval 17–20×, 7 interleaved rounds); needs at least 5×.',
    );
    expect(html).toContain('≥ 5×');
  });

  it('shows where a hung program was stuck and what it printed', () => {
    expect(html).toContain('Where it was stuck');
    expect(html).toContain('MainThread: main.py:7 in wait');
    expect(html).toContain('partial');
    expect(html).toContain('Graded solution in 1.23 s');
  });
});
