/**
 * Exiting without losing output. When stdout or stderr is a pipe, Node writes to it
 * asynchronously once the pipe's buffer (64 KiB on Linux) is full; `process.exit` then drops
 * whatever is still queued, so `perflab profile --json | jq` used to get the first 65536 bytes
 * of a 2 MB document. Every exit of the CLI goes through here: it waits until both streams
 * have handed everything written so far to the kernel, then exits (explicitly, so that a
 * stray handle — a socket a sandboxed program left half-open — cannot keep a finished command,
 * or CI, waiting).
 */

/** Resolves once everything written to `stream` before this call has been flushed (or the stream broke). */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) {
      resolve();
      return;
    }
    // A reader that went away (EPIPE) is as finished as it will ever be: stop waiting, quietly.
    const onError = () => resolve();
    stream.once('error', onError);
    // Writes complete in order, so the callback of an empty write runs after every earlier
    // write has been handed to the kernel, however slowly the reader takes it.
    stream.write('', () => {
      stream.off('error', onError);
      resolve();
    });
  });
}

/**
 * A reader that goes away early (`perflab profile --json | head -c 100`) makes further writes
 * fail with EPIPE, emitted as an 'error' event that would crash the command with a stack trace
 * half-way through its run (before its sandbox is cleaned up). Output nobody reads is dropped
 * instead, like `cat` does, and the command finishes as it would have; exitAfterOutput then
 * does not wait for a stream that is gone.
 */
export function dropOutputNobodyReads(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => stream.destroy());
  }
}

/** Waits for stdout and stderr to drain, then exits with `code`. */
export async function exitAfterOutput(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
