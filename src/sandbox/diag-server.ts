/**
 * The host end of the stack-dump channel: a unix socket in the run's ipc folder, which is
 * bound read-only into the sandbox. Each Python process that receives SIGUSR1 connects once
 * and sends one perflab.stacks/1 document (python/startup/perflab_stackdump.py).
 *
 * Everything here is untrusted input. The socket exists only while the host is asking for
 * stacks (between `open()` and `stopAccepting()`, i.e. during the stacks-before-kill grace of
 * a timeout); at any other time a connection attempt fails in the kernel and costs the host
 * nothing. While it is open, a run gets at most MAX_CONNECTIONS connections and
 * MAX_TOTAL_BYTES bytes in all: anything beyond is dropped unread, never buffered. (Without
 * these bounds, 400 connections of 500 KB from learner code grew the server by 175 MB.)
 */
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { stackDumpSchema, type StackDump } from '../core/documents.js';

/** One process's stack document; a real one is a few KB (every frame of every thread). */
const MAX_DOCUMENT_BYTES = 512 * 1024;
/** Documents kept per run: one per Python process of the run. */
const MAX_DOCUMENTS = 64;
/** Connections accepted per run: enough for one per Python process the task limit allows. */
export const MAX_CONNECTIONS = 64;
/** Bytes accepted per run, all connections together. */
export const MAX_TOTAL_BYTES = 4 * 1024 * 1024;

/** What the channel took from the run, for tests and diagnosis. */
export interface DiagChannelStats {
  /** Connections accepted (at most MAX_CONNECTIONS). */
  connections: number;
  /** Connections closed unread: over the connection cap, or arriving after the budget was spent. */
  refusedConnections: number;
  /** Bytes kept in memory, all connections together (at most MAX_TOTAL_BYTES). */
  bytesReceived: number;
  /** The most bytes held in buffers at any one moment. */
  peakBufferedBytes: number;
}

export class DiagServer {
  /** Stack dumps received so far, in arrival order. */
  readonly dumps: StackDump[] = [];
  readonly stats: DiagChannelStats = {
    connections: 0,
    refusedConnections: 0,
    bytesReceived: 0,
    peakBufferedBytes: 0,
  };
  private bufferedBytes = 0;
  private server: Server | null = null;
  private readonly connections = new Set<Socket>();
  private closed = false;

  private constructor(private readonly socketPath: string) {}

  /** A channel for one run; nothing listens until `open()`. */
  static create(socketPath: string): DiagServer {
    return new DiagServer(socketPath);
  }

  /** Starts accepting stack documents (the host is about to send SIGUSR1). */
  async open(): Promise<void> {
    if (this.server || this.closed) return;
    const server = createServer((socket) => this.accept(socket));
    // Node closes connections beyond this many open at once without reading them; the
    // per-run total is enforced in accept().
    server.maxConnections = MAX_CONNECTIONS;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, resolve);
    });
    // The sandboxed program may run as another uid; connecting needs write permission.
    chmodSync(this.socketPath, 0o666);
  }

  /** Stops accepting; connections already accepted may finish sending their document. */
  stopAccepting(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    // Closing a unix-socket server removes the socket file, so later attempts fail in the kernel.
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (
      this.closed ||
      this.stats.connections >= MAX_CONNECTIONS ||
      this.stats.bytesReceived >= MAX_TOTAL_BYTES
    ) {
      this.stats.refusedConnections += 1;
      socket.destroy();
      return;
    }
    this.stats.connections += 1;
    this.connections.add(socket);
    const chunks: Buffer[] = [];
    let size = 0;
    const release = () => {
      this.bufferedBytes -= size;
      size = 0;
      chunks.length = 0;
    };
    socket.on('close', () => {
      this.connections.delete(socket);
      release();
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (
        size + chunk.length > MAX_DOCUMENT_BYTES ||
        this.stats.bytesReceived + chunk.length > MAX_TOTAL_BYTES
      ) {
        // Over budget: this document is worthless; drop what it sent and stop reading.
        release();
        socket.destroy();
        return;
      }
      size += chunk.length;
      this.stats.bytesReceived += chunk.length;
      this.bufferedBytes += chunk.length;
      this.stats.peakBufferedBytes = Math.max(this.stats.peakBufferedBytes, this.bufferedBytes);
      chunks.push(chunk);
    });
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      release();
      socket.end();
      if (this.dumps.length >= MAX_DOCUMENTS) return;
      try {
        const parsed = stackDumpSchema.safeParse(JSON.parse(text));
        if (parsed.success) this.dumps.push(parsed.data);
      } catch {
        // Not JSON: ignored, like any other junk a program might send.
      }
    });
  }

  /**
   * Stops listening and drops any connection still open: the run is over, so a half-sent
   * dump is worthless, and waiting for it would let a program keep the host's cleanup (and
   * the perflab process) waiting forever.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.connections) socket.destroy();
    await this.stopAccepting();
  }
}
