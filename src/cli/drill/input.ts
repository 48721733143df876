/**
 * What the learner tells `perflab drill`, from either kind of stdin:
 *
 * - a terminal: single keypresses in raw mode (Space/Enter reveal, 1–4 grade, f, u, q, …); `a`
 *   switches to line editing for a typed answer. Raw mode is always restored, also on Ctrl-C.
 * - anything else (a pipe, a file, a test): one command per line, so scripts can drive it.
 *
 * Both become the same `DrillCommand`s; the flows never look at keys or lines themselves.
 * End of input and Ctrl-C (a keypress in raw mode, SIGINT otherwise) become `end` and
 * `interrupt`, which every flow treats as "quit": what was graded is already in the store.
 */
import { emitKeypressEvents } from 'node:readline';
import { createInterface, type Interface } from 'node:readline/promises';

export type DrillCommand =
  | { type: 'reveal' }
  | { type: 'full' }
  | { type: 'undo' }
  | { type: 'quit' }
  | { type: 'skip' }
  | { type: 'done' }
  /** A typed answer; `text` undefined on a terminal means "ask for it" (the `a` key). */
  | { type: 'answer'; text: string | undefined }
  /** One or more small numbers: a grade (1–4) or rubric scores (0–2). */
  | { type: 'numbers'; values: number[] }
  | { type: 'timeout' }
  | { type: 'end' }
  | { type: 'interrupt' }
  | { type: 'unknown'; text: string };

const WORDS: Record<string, DrillCommand> = {
  '': { type: 'reveal' },
  r: { type: 'reveal' },
  reveal: { type: 'reveal' },
  show: { type: 'reveal' },
  f: { type: 'full' },
  full: { type: 'full' },
  u: { type: 'undo' },
  undo: { type: 'undo' },
  q: { type: 'quit' },
  quit: { type: 'quit' },
  exit: { type: 'quit' },
  s: { type: 'skip' },
  skip: { type: 'skip' },
  d: { type: 'done' },
  done: { type: 'done' },
  again: { type: 'numbers', values: [1] },
  hard: { type: 'numbers', values: [2] },
  good: { type: 'numbers', values: [3] },
  easy: { type: 'numbers', values: [4] },
};

/** One line of the line protocol. */
export function parseLine(line: string): DrillCommand {
  const text = line.trim();
  const answer = /^(?:a|answer)(?:\s+(.*))?$/is.exec(text);
  if (answer) return { type: 'answer', text: (answer[1] ?? '').trim() };
  if (/^\d+(?:[\s,]+\d+)*$/.test(text)) return { type: 'numbers', values: text.split(/[\s,]+/).map(Number) };
  return WORDS[text.toLowerCase()] ?? { type: 'unknown', text };
}

/** One keypress on a terminal (`str` as node:readline reports it). */
export function parseKey(str: string | undefined, key: { name?: string; ctrl?: boolean }): DrillCommand {
  if (key.ctrl && (key.name === 'c' || key.name === 'd')) return { type: 'interrupt' };
  if (key.name === 'space' || key.name === 'return' || key.name === 'enter') return { type: 'reveal' };
  if (str && /^\d$/.test(str)) return { type: 'numbers', values: [Number(str)] };
  if (str === 'a' || str === 't') return { type: 'answer', text: undefined };
  const word = str === undefined ? undefined : WORDS[str.toLowerCase()];
  return word && str !== '' ? word : { type: 'unknown', text: str ?? key.name ?? '' };
}

/** The learner's commands, queued as they arrive (a pipe delivers them all at once). */
export class DrillInput {
  readonly keys: boolean;
  private readonly queue: DrillCommand[] = [];
  private waiter: ((command: DrillCommand) => void) | null = null;
  private lines: Interface | null = null;
  /** While a typed answer is read on a terminal, keypresses belong to readline. */
  private typing = false;
  private closed = false;
  private readonly onKeypress = (str: string | undefined, key: { name?: string; ctrl?: boolean }) => {
    if (!this.typing) this.push(parseKey(str, key ?? {}));
  };
  private readonly onSigint = () => this.push({ type: 'interrupt' });
  private readonly restore = () => this.setRaw(false);

  constructor(private readonly stdin: NodeJS.ReadStream = process.stdin) {
    this.keys = Boolean(stdin.isTTY);
    process.on('SIGINT', this.onSigint);
    if (this.keys) {
      emitKeypressEvents(stdin);
      stdin.on('keypress', this.onKeypress);
      this.setRaw(true);
      // However the process ends, the learner's terminal is left as it was found.
      process.once('exit', this.restore);
      stdin.resume();
    } else {
      this.lines = createInterface({ input: stdin, terminal: false });
      this.lines.on('line', (line) => this.push(parseLine(line)));
      this.lines.on('close', () => this.push({ type: 'end' }));
    }
  }

  private setRaw(on: boolean): void {
    if (this.stdin.isTTY) this.stdin.setRawMode(on);
  }

  private push(command: DrillCommand): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter(command);
    } else this.queue.push(command);
  }

  /**
   * The next command; `{ type: 'timeout' }` when `timeoutMs` passes first (nothing is lost: a
   * command arriving later waits in the queue). After end or interrupt, every call repeats it.
   */
  next(timeoutMs?: number): Promise<DrillCommand> {
    const queued = this.queue.shift();
    if (queued) {
      if (queued.type === 'end' || queued.type === 'interrupt') this.queue.unshift(queued);
      return Promise.resolve(queued);
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiter = (command) => {
        clearTimeout(timer);
        if (command.type === 'end' || command.type === 'interrupt') this.queue.unshift(command);
        resolve(command);
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => {
            this.waiter = null;
            resolve({ type: 'timeout' });
          },
          Math.max(0, timeoutMs),
        );
      }
    });
  }

  /** A line of text on a terminal (the typed answer); null when the learner pressed Ctrl-C. */
  async readLine(prompt: string): Promise<string | null> {
    if (!this.keys) throw new Error('readLine is for terminals; lines carry their text');
    this.typing = true;
    this.setRaw(false);
    const rl = createInterface({ input: this.stdin, output: process.stdout, terminal: true });
    let interrupted = false;
    // The question's promise settles only through its signal when readline closes (Ctrl-C, Ctrl-D):
    // without it the command would sit on a promise that never settles and Node exits with 13.
    const controller = new AbortController();
    rl.once('SIGINT', () => {
      interrupted = true;
      controller.abort();
    });
    rl.once('close', () => controller.abort());
    try {
      return await rl.question(prompt, { signal: controller.signal }).catch(() => null);
    } finally {
      rl.close();
      this.typing = false;
      this.setRaw(true);
      this.stdin.resume();
      if (interrupted) this.push({ type: 'interrupt' });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('SIGINT', this.onSigint);
    if (this.keys) {
      this.stdin.off('keypress', this.onKeypress);
      this.setRaw(false);
      process.off('exit', this.restore);
    }
    this.lines?.close();
    this.stdin.pause();
  }
}
