/**
 * Event streams opened with `?pending=1` for a job id whose start request has not arrived yet
 * (the page picks the id and follows the job before it asks to start it). Each waits until a
 * learner starts that id: true when it is the waiter's own learner, false for anyone else.
 */
interface Waiter {
  learnerId: string;
  wake: (mine: boolean) => void;
}

export class IdWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();

  /**
   * Resolves when `id` is started (true: by `learnerId`), or after `timeoutMs` with what
   * `onTimeout` says then (a start may have raced the timer).
   */
  wait(learnerId: string, id: string, timeoutMs: number, onTimeout: () => boolean): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        learnerId,
        wake: (mine) => {
          clearTimeout(timer);
          resolve(mine);
        },
      };
      const timer = setTimeout(() => {
        const set = this.waiting.get(id);
        set?.delete(waiter);
        if (set?.size === 0) this.waiting.delete(id);
        resolve(onTimeout());
      }, timeoutMs);
      const set = this.waiting.get(id) ?? new Set();
      set.add(waiter);
      this.waiting.set(id, set);
    });
  }

  /** `learnerId` started `id`: wakes every stream waiting for it. */
  started(id: string, learnerId: string): void {
    for (const waiter of this.waiting.get(id) ?? []) waiter.wake(waiter.learnerId === learnerId);
    this.waiting.delete(id);
  }

  /** The server is closing: every waiting stream ends as if the id were someone else's. */
  wakeAll(): void {
    for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.wake(false);
    this.waiting.clear();
  }
}
