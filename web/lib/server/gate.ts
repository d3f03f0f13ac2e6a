// At most `limit` tasks at once, the others waiting in the order they came: the result cache's
// heavy queries (cache.ts) and the SQL workbench's runs (workbench/run.ts).

export class Gate {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  /**
   * Takes a place, in turn. With maxWaitMs, a wait that lasts longer rejects with tooLong() and
   * leaves the queue; the caller who got a place gives it back with release().
   */
  async acquire(maxWaitMs?: number, tooLong?: () => Error): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      // The place is handed over by release(): active stays as it is.
      const take = () => {
        clearTimeout(timer);
        resolve();
      };
      if (maxWaitMs !== undefined) {
        timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(take), 1);
          reject(tooLong?.() ?? new Error(`waited ${maxWaitMs} ms for a place`));
        }, maxWaitMs);
      }
      this.waiting.push(take);
    });
  }

  /** Gives the place to the longest-waiting task, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
