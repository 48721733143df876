/**
 * The descriptors every sandboxed run starts with, by number. The harness learns the two
 * channel numbers from its environment (environment.ts), so these are the one place they are
 * chosen; the launcher keeps exactly these open and closes everything else.
 */

/** The result document, harness → host (one JSON document, then EOF). */
export const RESULT_FD = 3;
/** Host → harness: the "go" line, then hidden material (grading); empty for other modes. */
export const HIDDEN_FD = 4;
/** The sandbox's own pipes: stdin, stdout, stderr, RESULT_FD and HIDDEN_FD. */
export const SANDBOX_PIPE_COUNT = 5;
/** Where a plan's `launchInput` arrives (bwrap's seccomp filter): the descriptor after the sandbox's own pipes. */
export const LAUNCH_INPUT_FD = SANDBOX_PIPE_COUNT;
