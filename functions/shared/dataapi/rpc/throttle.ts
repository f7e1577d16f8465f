/**
 * Pacing of requests: the throttle that follows the per-minute limit the API
 * reports, the gate shared with other clients of the same account, and an
 * abortable sleep.
 */
import type { ApiLimits } from '../errors.ts';

/**
 * A gate shared by every client of one Data API account (across Lambda
 * invocations): each request first takes a slot, so together they never call
 * faster than the account's limit. See adapters/aws/dynamo-rate-gate.ts.
 */
export interface RateGate {
  /** Resolves when this request may go; rejects when `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void>;
}

/** Sleeps `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keeps requests under the per-minute limit the API reports. Every answer's
 * `metadata.limits` tells how many calls are left (`minute_remaining`) and when
 * the window resets (`minute_reset`, seconds); once the calls in flight would use
 * up what is left, new requests wait for the reset. A `limit_exceeded` pauses
 * everyone until the reset it names.
 */
export class Throttle {
  private pausedUntil = 0;
  private remaining: number | undefined;
  private resetAt = 0;
  private inFlight = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** How long a new request must wait now, ms (0 when it may go). */
  waitMs(): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.remaining !== undefined) {
      if (now >= this.resetAt) {
        this.remaining = undefined; // the window has reset; the next answer tells the new state
      } else if (this.remaining - this.inFlight <= 0) {
        return this.resetAt - now;
      }
    }
    return 0;
  }

  start(): void {
    this.inFlight++;
  }

  finish(limits: ApiLimits | undefined): void {
    this.inFlight--;
    if (limits && typeof limits.minute_remaining === 'number') {
      this.remaining = limits.minute_remaining;
      const reset = typeof limits.minute_reset === 'number' ? limits.minute_reset : 60;
      this.resetAt = this.now() + reset * 1000;
    }
  }

  /** Everyone waits `seconds` (after a `limit_exceeded`). */
  pause(seconds: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + seconds * 1000);
  }
}
