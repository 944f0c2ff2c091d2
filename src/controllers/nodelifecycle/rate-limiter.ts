/**
 * A token bucket (client-go flowcontrol.NewTokenBucketRateLimiter): `qps` tokens a second up to
 * `burst`; `tryAccept` takes one when available. Used to add NoExecute taints to at most
 * `evictionRate` nodes a second, as upstream's zone tainting queue does.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps: number,
    private readonly burst = 1,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  tryAccept(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
