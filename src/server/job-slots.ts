/**
 * A fixed number of slots jobs execute in; the others wait first in, first out (their files in
 * the spool, not in memory). A job cancelled while it waits leaves the line.
 */
export class JobSlots<T> {
  private readonly holders = new Set<T>();
  private readonly line: { item: T; admit: () => void }[] = [];

  constructor(private readonly size: number) {}

  /** Resolves once `item` holds a slot; rejects when `signal` aborts while it waits. */
  acquire(item: T, signal: AbortSignal): Promise<void> {
    if (this.holders.size < this.size && this.line.length === 0) {
      this.holders.add(item);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        item,
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          this.holders.add(item);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.line.indexOf(entry);
        if (index >= 0) this.line.splice(index, 1);
        reject(new Error('cancelled while queued'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.line.push(entry);
    });
  }

  /** Frees the slot `item` holds, if it holds one, and admits whoever is next in line. */
  release(item: T): void {
    if (!this.holders.delete(item)) return;
    while (this.holders.size < this.size && this.line.length > 0) this.line.shift()?.admit();
  }

  /** 0 for the next to be admitted; -1 when `item` is not waiting. */
  placeInLine(item: T): number {
    return this.line.findIndex((entry) => entry.item === item);
  }
}
