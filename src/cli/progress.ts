/**
 * A progress line with elapsed time for anything that may take over a second. It shows only
 * on a terminal (stderr), appears after a short delay so quick commands stay quiet, and
 * gets out of the way whenever the program prints.
 */
import type { Ora } from 'ora';

const SHOW_AFTER_MS = 1000;

export class Progress {
  private spinner: Ora | null = null;
  private readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private label: string;

  /** `wanted`: false for --json; the line shows only when it is wanted and stderr is a terminal. */
  constructor(label: string, wanted = true) {
    this.label = label;
    if (!wanted || !process.stderr.isTTY) return;
    this.timer = setInterval(() => this.tick(), 100);
    this.timer.unref();
  }

  private text(): string {
    return `${this.label} ${((performance.now() - this.startedAt) / 1000).toFixed(1)} s`;
  }

  private loading = false;

  private tick(): void {
    if (performance.now() - this.startedAt < SHOW_AFTER_MS || this.loading) return;
    if (this.spinner) {
      this.spinner.text = this.text();
      return;
    }
    // Loaded only when a command actually runs long enough to show progress.
    this.loading = true;
    void import('ora').then(({ default: ora }) => {
      this.loading = false;
      if (this.timer === null) return;
      this.spinner = ora({ text: this.text(), stream: process.stderr, discardStdin: false }).start();
    });
  }

  setLabel(label: string): void {
    this.label = label;
  }

  /** Writes program output without the progress line mixing into it. */
  write(stream: NodeJS.WriteStream, text: string): void {
    this.spinner?.clear();
    stream.write(text);
    this.spinner?.render();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.spinner?.stop();
    this.spinner = null;
  }
}
