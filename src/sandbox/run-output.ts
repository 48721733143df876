/**
 * What a run sends back: its output on stdout and stderr (capped), and the harness's result
 * document on RESULT_FD (bounded, parsed once the run has ended).
 */
import type { OutputChunk } from './types.js';

/**
 * Collects stdout and stderr in arrival order up to `capBytes` in all. The chunk that crosses
 * the cap is cut at it, and the collector calls `onCapReached` once and keeps nothing more.
 */
export class OutputCollector {
  readonly chunks: OutputChunk[] = [];
  bytes = 0;
  truncated = false;

  constructor(
    private readonly capBytes: number,
    /** performance.now() when the program started: chunks carry milliseconds since then. */
    private readonly startedAtMs: number,
    private readonly onCapReached: () => void,
    private readonly onChunk?: (chunk: OutputChunk) => void,
  ) {}

  /** A listener for one stream's `data` events. */
  listener(stream: OutputChunk['stream']): (data: Buffer) => void {
    return (data) => this.take(stream, data);
  }

  private take(stream: OutputChunk['stream'], data: Buffer): void {
    if (this.truncated) return;
    let kept = data;
    if (this.bytes + data.length > this.capBytes) {
      kept = data.subarray(0, this.capBytes - this.bytes);
      this.truncated = true;
      this.onCapReached();
    }
    this.bytes += kept.length;
    if (kept.length === 0) return;
    const chunk = { stream, tMs: performance.now() - this.startedAtMs, text: kept.toString('utf8') };
    this.chunks.push(chunk);
    this.onChunk?.(chunk);
  }
}

/** The largest result document kept; a larger one is reported as an error, not parsed. */
const MAX_RESULT_DOCUMENT_BYTES = 128 * 1024 * 1024;

export interface ParsedDocument {
  /** The harness's JSON document, not yet validated; null when none arrived or it was unusable. */
  document: unknown;
  error: string | null;
}

/** The result document's bytes as they arrive; counted past the cap, but not kept. */
export class HarnessDocumentReader {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  readonly take = (data: Buffer): void => {
    this.bytes += data.length;
    if (this.bytes <= MAX_RESULT_DOCUMENT_BYTES) this.chunks.push(data);
  };

  /** The document, once the pipe is closed (the run ended). */
  parse(): ParsedDocument {
    if (this.bytes > MAX_RESULT_DOCUMENT_BYTES) {
      return {
        document: null,
        error: `the harness document was larger than ${MAX_RESULT_DOCUMENT_BYTES} bytes`,
      };
    }
    if (this.bytes === 0) {
      return {
        document: null,
        error: 'no harness document arrived (the program ended the process itself, or was killed)',
      };
    }
    try {
      return { document: JSON.parse(Buffer.concat(this.chunks).toString('utf8')), error: null };
    } catch (error) {
      return { document: null, error: `the harness document is not JSON: ${(error as Error).message}` };
    }
  }
}
