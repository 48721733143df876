import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Browser-app tests cover its pure logic (layout, formatting, stream parsing): no DOM needed.
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Sandbox tests each start real processes; two workers match the 2-CPU CI machine.
    maxWorkers: 2,
    env: { TZ: 'UTC', LANG: 'C.UTF-8' },
  },
});
