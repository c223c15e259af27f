// Failed logins per IP address, kept in memory: right for one API instance. Behind several
// instances each counts its own (the per-account lock in the database still holds everywhere).
export const IP_WINDOW_MS = 15 * 60 * 1000;
export const IP_MAX_FAILURES = 30;
const MAX_TRACKED = 10_000;

export class LoginRateLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly windowMs = IP_WINDOW_MS,
    private readonly maxFailures = IP_MAX_FAILURES,
  ) {}

  /** When this address may try again, or null if it may try now. */
  blockedUntil(ip: string | null, now = Date.now()): Date | null {
    if (!ip) return null;
    const recent = this.recent(ip, now);
    if (recent.length < this.maxFailures) return null;
    return new Date(recent[recent.length - this.maxFailures]! + this.windowMs);
  }

  fail(ip: string | null, now = Date.now()): void {
    if (!ip) return;
    const recent = this.recent(ip, now);
    recent.push(now);
    this.failures.delete(ip);
    this.failures.set(ip, recent);
    // Forget the addresses seen longest ago when too many are tracked (Map keeps insertion order).
    while (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(ip: string | null): void {
    if (ip) this.failures.delete(ip);
  }

  private recent(ip: string, now: number): number[] {
    const kept = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(ip, kept);
    else this.failures.delete(ip);
    return kept;
  }
}
