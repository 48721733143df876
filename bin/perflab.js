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
  // Not process.exit: the loop ends once the message is written, and the exit status is kept.
  process.exitCode = 3;
} else {
  const { main, exitAfterOutput, dropOutputNobodyReads } = await import(compiled.href);
  // A reader that goes away early (`| head`) must not crash a command half-way through.
  dropOutputNobodyReads();
  // Every command has finished and released what it opened by now. exitAfterOutput waits until
  // stdout and stderr have handed all output to the kernel (a pipe to a slow reader fills after
  // 64 KiB, and process.exit would drop the rest), then exits explicitly, so that a stray handle
  // (a socket a sandboxed program left half-open, say) can never keep a finished command — or
  // CI — waiting.
  await exitAfterOutput(await main(process.argv));
}
