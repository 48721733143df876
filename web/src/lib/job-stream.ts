/**
 * A job's server-sent events read with fetch instead of EventSource. Same events, same
 * reconnection (a dropped stream is reopened after a second and replays the job), but the
 * request starts when it is made: Chromium started EventSource requests opened during a click
 * some ten milliseconds late, which a hello-world run's first output waited for.
 */
import { createParser } from 'eventsource-parser';

const RECONNECT_MS = 1000;

export class JobStream extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  readyState: number = JobStream.CONNECTING;
  private abort = new AbortController();
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly url: string) {
    super();
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.readyState = JobStream.CONNECTING;
    let response: Response;
    try {
      response = await fetch(this.url, {
        headers: { accept: 'text/event-stream' },
        cache: 'no-store',
        signal: this.abort.signal,
      });
    } catch {
      this.dropped();
      return;
    }
    if (!response.ok || !response.body) {
      // Like EventSource: a refusal (an unknown job, say) is final.
      this.readyState = JobStream.CLOSED;
      this.dispatchEvent(new Event('error'));
      return;
    }
    this.readyState = JobStream.OPEN;
    this.dispatchEvent(new Event('open'));
    const parser = createParser({
      onEvent: (message) => {
        if (this.readyState === JobStream.CLOSED) return;
        this.dispatchEvent(new MessageEvent(message.event ?? 'message', { data: message.data }));
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // A dropped connection: reconnect below.
    }
    this.dropped();
  }

  private dropped(): void {
    if (this.readyState === JobStream.CLOSED) return;
    this.readyState = JobStream.CONNECTING;
    this.dispatchEvent(new Event('error'));
    if (this.readyState === JobStream.CLOSED) return;
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }

  close(): void {
    this.readyState = JobStream.CLOSED;
    if (this.retry) clearTimeout(this.retry);
    this.abort.abort();
  }
}
