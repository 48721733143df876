import { describe, expect, it } from 'vitest';
import { samplerDoctor } from './doctor.js';

describe('perflab doctor: the sampling profiler', () => {
  it('reports the pinned py-spy when it runs', () => {
    const sampler = samplerDoctor();
    expect(sampler.pySpy).toBe('0.4.3');
    // This machine runs the tests as root (CAP_SYS_PTRACE) or with Yama at most 1.
    expect(sampler.problem).toBeNull();
  });

  it('says how to fix a py-spy that does not run', () => {
    expect(samplerDoctor('/nonexistent/py-spy')).toEqual({
      pySpy: null,
      problem: 'py-spy does not run at /nonexistent/py-spy (run `npm install`)',
    });
  });
});
