import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The CLI as a few bundled files in dist/cli-bundle, which `bin/perflab.js` runs.
 *
 * Why: every `perflab run` pays for loading its modules before any work starts. From tsc's
 * one-file-per-module output that took ~150 ms after process start, most of it zod's 95
 * files; bundled, `perflab run hello.py` takes ~0.17 s instead of ~0.22 s (docs/benchmarks.md).
 * zod and perflab's own code are bundled; other packages stay external (better-sqlite3 is
 * native; the rest are a few files each). Chunks sit next to main.js, two levels below the
 * project root, as src/pyenv/paths.ts assumes when it finds the root from its own URL.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  ssr: { noExternal: ['zod'], target: 'node' },
  build: {
    ssr: fileURLToPath(new URL('src/cli/main.ts', import.meta.url)),
    outDir: fileURLToPath(new URL('dist/cli-bundle', import.meta.url)),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rolldownOptions: { output: { chunkFileNames: '[name]-[hash].js' } },
  },
});
