// Sign-in attempts per client address in a sliding window, in memory: the lock-out in users.ts
// protects each account; this keeps one address from trying many accounts.
export class RateLimiter {
  private hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number
  ) {}

  /** Seconds to wait before the next attempt from this key (0: go ahead). Counts nothing. */
  retryAfter(key: string, now = Date.now()): number {
    const recent = this.recent(key, now);
    return recent.length >= this.limit ? Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)) : 0;
  }

  hit(key: string, now = Date.now()): void {
    const recent = this.recent(key, now);
    recent.push(now);
    if (this.hits.size > 50_000) this.hits.clear(); // bounded memory under a flood of addresses
    this.hits.set(key, recent);
  }

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
