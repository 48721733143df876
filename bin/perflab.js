#!/usr/bin/env node
// Entry point of `npx perflab`: runs the bundled CLI (built by `npm install`; see
// vite.cli.config.ts for why it is bundled).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli-bundle/main.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write(
    'perflab: not built yet; run `npm install` (or `npm run build`) in the perflab folder first\n',
  );
  process.exit(3);
}
const { main } = await import(compiled.href);
const code = await main(process.argv);
// Every command has finished and released what it opened by now; exiting explicitly means a
// stray handle (a socket a sandboxed program left half-open, say) can never keep a finished
// command — or CI — waiting. On Linux, writes to stdout/stderr pipes and files are synchronous.
process.exit(code);
