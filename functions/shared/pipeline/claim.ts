/**
 * The claim on one report: concurrent deliveries of the same job make it once.
 * A run takes the claim (a lease on the report's key), renews it every third of
 * the lease while it lives, and releases it when it ends, whether it succeeded
 * or failed. A run that dies stops renewing, so its claim runs out on its own
 * within one lease and a retry can do the work. The lock itself is a port
 * (ReportLock in ports.ts; DynamoDB in adapters/aws/dynamo-lock.ts).
 */
import type { Period } from '../time.ts';
import type { ReportLock } from './ports.ts';

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

/** The claim's key: one per subscription and period, like the report itself. */
export function claimKey(subscription: string, period: Pick<Period, 'from' | 'till'>): string {
  return `report/${subscription}/${period.from}_${period.till}`;
}

/**
 * Runs `work` holding the claim on `key`: throws ReportInProgressError (and does
 * no work) when another unexpired claim holds it; renews the lease every third
 * of it meanwhile; releases the claim when `work` settles, either way.
 */
export async function withClaim<T>(
  lock: ReportLock,
  key: string,
  leaseMs: number,
  work: () => Promise<T>,
  timer: HeartbeatTimer = systemTimer,
): Promise<T> {
  const token = await lock.acquire(key, leaseMs);
  if (token === null) throw new ReportInProgressError(key);
  const stop = timer.every(leaseMs / 3, () => {
    lock.renew(key, token, leaseMs).catch(() => {
      // A missed renewal is retried at the next beat; the lease has room for two.
    });
  });
  try {
    return await work();
  } finally {
    stop();
    await lock.release(key, token);
  }
}
