/**
 * The claim on one report: concurrent deliveries of the same job make it once.
 * A run takes the claim (a lease on the report's key), renews it every third of
 * the lease while it lives, and releases it when it ends, whether it succeeded
 * or failed. A run that dies stops renewing, so its claim runs out on its own
 * within one lease and a retry can do the work. The lock itself is a port
 * (ReportLock in ports.ts; DynamoDB in adapters/aws/dynamo-lock.ts).
 *
 * A lease can be lost while the run still lives (renewals failing for longer
 * than the lease, a frozen container): another run may then take the claim
 * and send the report. So the heartbeat notices failed renewals, and before
 * every step others see (the manifest, an email, any later channel) the run
 * proves the claim is still its own with a conditional write (`proveClaim`);
 * a run that lost its lease stops there with ClaimLostError and sends nothing.
 */
import type { Period } from '../time.ts';
import { type Clock, type ReportLock, systemClock } from './ports.ts';

/**
 * A claim's lease, renewed every third of it while the run lives: a run that
 * dies frees its report within two minutes.
 */
export const LOCK_LEASE_MS = 2 * 60_000;

/**
 * Another live run holds the claim on this report and will make and send it.
 * Callers that can be retried should fail with it: if that other run dies, the
 * retry (after its lease ran out) does the work, so no report is lost.
 */
export class ReportInProgressError extends Error {
  constructor(key: string) {
    super(`Another run is making the report ${key} right now; try again in a few minutes`);
    this.name = 'ReportInProgressError';
  }
}

/**
 * This run's claim is no longer its own: its lease ran out (renewals failed
 * for longer than the lease) or another run holds it. The run stops before the
 * step it was about to take; whoever holds the claim, or the retry, sends the report.
 */
export class ClaimLostError extends Error {
  constructor(key: string, why: string) {
    super(`This run lost its claim on the report ${key} (${why}); it stopped without sending`);
    this.name = 'ClaimLostError';
  }
}

/** What a run holding a claim is handed: the fence before each step others see. */
export interface ClaimFence {
  /** Throws ClaimLostError when the heartbeat already found the claim lost (no request). */
  check(): void;
  /**
   * Proves the claim is still ours with a conditional write on the claim item
   * (ReportLock.prove), which also extends the lease; throws ClaimLostError when it is not.
   */
  prove(step: string): Promise<void>;
  /** Aborted (with the ClaimLostError) when the heartbeat finds the claim lost. */
  readonly signal: AbortSignal;
}

/**
 * The one call a step makes before anything others see (the manifest, an
 * email, a chat message): proves the run's claim when it holds one (a run
 * without a lock, like the CLI's, has nothing to prove).
 */
export async function proveClaim(fence: ClaimFence | undefined, step: string): Promise<void> {
  await fence?.prove(step);
}

/** What beats the heartbeat: calls `beat` every `ms` until the returned stop is called. */
export interface HeartbeatTimer {
  every(ms: number, beat: () => void): () => void;
}

/** The real timer; it never keeps the process alive by itself. */
export const systemTimer: HeartbeatTimer = {
  every(ms, beat) {
    const handle = setInterval(beat, ms);
    handle.unref();
    return () => clearInterval(handle);
  },
};

/** The claim's key: one per subscription, period and variant (location.ts), like the report itself. */
export function claimKey(
  subscription: string,
  period: Pick<Period, 'from' | 'till'>,
  variant: string | null = null,
): string {
  return `report/${subscription}/${period.from}_${period.till}${variant === null ? '' : `/${variant}`}`;
}

/**
 * Runs `work` holding the claim on `key`: throws ReportInProgressError (and does
 * no work) when another unexpired claim holds it; renews the lease every third
 * of it meanwhile; hands `work` the fence it proves before each step others
 * see; releases the claim when `work` settles, either way. `clock` tells when
 * the lease runs out as this run last knew it.
 */
export async function withClaim<T>(
  lock: ReportLock,
  key: string,
  leaseMs: number,
  work: (fence: ClaimFence) => Promise<T>,
  timer: HeartbeatTimer = systemTimer,
  clock: Clock = systemClock,
): Promise<T> {
  const asked = clock.now();
  const token = await lock.acquire(key, leaseMs);
  if (token === null) throw new ReportInProgressError(key);
  const lease = new Lease({ lock, key, token, leaseMs, clock, heldUntil: asked + leaseMs });
  const stop = timer.every(leaseMs / 3, () => lease.beat());
  try {
    return await work(lease);
  } finally {
    stop();
    await lock.release(key, token);
  }
}

/** One run's hold on a claim: renewed by the heartbeat, proved by the steps. */
class Lease implements ClaimFence {
  private readonly lock: ReportLock;
  private readonly key: string;
  private readonly token: string;
  private readonly leaseMs: number;
  private readonly clock: Clock;
  /** When the lease runs out, as this run last knew it (from its last successful renewal or proof). */
  private heldUntil: number;
  private lost: ClaimLostError | null = null;
  private readonly controller = new AbortController();

  constructor(opts: {
    lock: ReportLock;
    key: string;
    token: string;
    leaseMs: number;
    clock: Clock;
    heldUntil: number;
  }) {
    this.lock = opts.lock;
    this.key = opts.key;
    this.token = opts.token;
    this.leaseMs = opts.leaseMs;
    this.clock = opts.clock;
    this.heldUntil = opts.heldUntil;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * One heartbeat: renews the lease. A renewal the store refuses means another
   * run holds the claim; a failed renewal is retried at the next beat while the
   * lease lasts (it has room for two), and past it the claim counts as lost.
   */
  beat(): void {
    if (this.lost) return;
    const at = this.clock.now();
    this.lock.renew(this.key, this.token, this.leaseMs).then(
      (ours) => {
        if (ours) this.heldUntil = Math.max(this.heldUntil, at + this.leaseMs);
        else this.lose('its lease ran out or another run holds it');
      },
      () => {
        if (this.clock.now() >= this.heldUntil) {
          this.lose(`its renewals failed for longer than the ${this.leaseMs / 1000}-second lease`);
        }
      },
    );
  }

  check(): void {
    if (this.lost) throw this.lost;
  }

  async prove(step: string): Promise<void> {
    this.check();
    const at = this.clock.now();
    if (!(await this.lock.prove(this.key, this.token, this.leaseMs, step))) {
      this.lose('its lease ran out or another run holds it');
      this.check();
    }
    this.heldUntil = Math.max(this.heldUntil, at + this.leaseMs);
  }

  private lose(why: string): void {
    if (this.lost) return;
    this.lost = new ClaimLostError(this.key, why);
    this.controller.abort(this.lost);
  }
}
