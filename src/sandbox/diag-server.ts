/**
 * The host end of the stack-dump channel: a unix socket bound read-only into the sandbox.
 * Each Python process that receives SIGUSR1 connects once and sends one perflab.stacks/1
 * document (python/startup/sitecustomize.py). Everything here is untrusted input: sizes are
 * capped and documents that fail validation are dropped.
 */
import { chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { stackDumpSchema, type StackDump } from '../core/documents.js';

const MAX_DOCUMENT_BYTES = 512 * 1024;
const MAX_DOCUMENTS = 64;

export class DiagServer {
  private constructor(
    private readonly server: Server,
    /** Stack dumps received so far, in arrival order. */
    readonly dumps: StackDump[],
    private readonly connections: Set<Socket>,
  ) {}

  static async listen(socketPath: string): Promise<DiagServer> {
    const dumps: StackDump[] = [];
    const connections = new Set<Socket>();
    const server = createServer((socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      const chunks: Buffer[] = [];
      let size = 0;
      socket.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) return socket.destroy();
        chunks.push(chunk);
      });
      socket.on('error', () => undefined);
      socket.on('end', () => {
        if (dumps.length >= MAX_DOCUMENTS) return;
        try {
          const parsed = stackDumpSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          if (parsed.success) dumps.push(parsed.data);
        } catch {
          // Not JSON: ignored, like any other junk a program might send.
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, resolve);
    });
    // The sandboxed program may run as another uid; connecting needs write permission.
    await chmod(socketPath, 0o666);
    return new DiagServer(server, dumps, connections);
  }

  /**
   * Stops listening and drops any connection still open: the run is over, so a half-sent
   * dump is worthless, and waiting for it would let a program keep the host's cleanup (and
   * the perflab process) waiting forever.
   */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.connections) socket.destroy();
    });
  }
}
