/**
 * The claim on a report alone (pipeline/claim.ts): taken, renewed by a
 * heartbeat the test beats itself (no timers, no sleeps) on a clock it moves
 * itself, released when the work ends either way, refused while another run
 * holds it, found lost when renewals fail for longer than the lease, and
 * proved (the fence) before a step others see.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClaimFence,
  ClaimLostError,
  claimKey,
  type HeartbeatTimer,
  LOCK_LEASE_MS,
  proveClaim,
  ReportInProgressError,
  withClaim,
} from '../../functions/shared/pipeline/claim.ts';
import type { ReportLock } from '../../functions/shared/pipeline/ports.ts';

const KEY = 'report/sales/2024-10-21_2024-10-21';
const LEASE = 90_000;

/** A lock that records every call; `held` is the claim it gives out. */
class RecordingLock implements ReportLock {
  calls: string[] = [];
  held: string | null = null;
  renewFails = 0;
  async acquire(key: string, leaseMs: number) {
    this.calls.push(`acquire ${key} ${leaseMs}`);
    if (this.held) return null;
    this.held = 'token-1';
    return this.held;
  }
  async renew(key: string, token: string, leaseMs: number) {
    this.calls.push(`renew ${key} ${token} ${leaseMs}`);
    if (this.renewFails > 0) {
      this.renewFails--;
      throw new Error('DynamoDB is away');
    }
    return this.held === token;
  }
  async prove(key: string, token: string, leaseMs: number, step: string) {
    this.calls.push(`prove ${key} ${token} ${leaseMs} ${step}`);
    return this.held === token;
  }
  async release(key: string, token: string) {
    this.calls.push(`release ${key} ${token}`);
    if (this.held === token) this.held = null;
  }
  renewals(): number {
    return this.calls.filter((c) => c.startsWith('renew')).length;
  }
}

/** A heartbeat timer the test beats by hand. */
function manualTimer() {
  let beat: (() => void) | null = null;
  const timer = {
    intervals: [] as number[],
    stopped: 0,
    get running() {
      return beat !== null;
    },
    every(ms: number, fn: () => void) {
      timer.intervals.push(ms);
      beat = fn;
      return () => {
        timer.stopped++;
        beat = null;
      };
    },
    beat() {
      beat?.();
    },
  };
  return timer satisfies HeartbeatTimer;
}

/** A piece of work the test finishes when it wants. */
function pendingWork<T>() {
  let finish!: (value: T) => void;
  let fail!: (err: unknown) => void;
  let started = false;
  const done = new Promise<T>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    run: () => {
      started = true;
      return done;
    },
    get started() {
      return started;
    },
    finish: (value: T) => finish(value),
    fail: (err: unknown) => fail(err),
  };
}

/** Lets the claim's pending promise callbacks run (acquire, renewals). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('withClaim', () => {
  it('renews the lease every third of it while the work runs, with the token it was given', async () => {
    const lock = new RecordingLock();
    const timer = manualTimer();
    const work = pendingWork<string>();
    const running = withClaim(lock, KEY, LEASE, work.run, timer);
    await settle();
    expect(work.started).toBe(true);
    expect(timer.intervals).toEqual([LEASE / 3]);
    timer.beat();
    timer.beat();
    await settle();
    expect(lock.calls.filter((c) => c.startsWith('renew'))).toEqual([
      `renew ${KEY} token-1 ${LEASE}`,
      `renew ${KEY} token-1 ${LEASE}`,
    ]);
    work.finish('report');
    await expect(running).resolves.toBe('report');
  });

  it('stops the heartbeat and releases the claim when the work ends', async () => {
    const lock = new RecordingLock();
    const timer = manualTimer();
    const work = pendingWork<string>();
    const running = withClaim(lock, KEY, LEASE, work.run, timer);
    await settle();
    work.finish('report');
    await running;
    expect(timer.stopped).toBe(1);
    expect(timer.running).toBe(false);
    expect(lock.calls.at(-1)).toBe(`release ${KEY} token-1`);
    expect(lock.held).toBeNull();
    timer.beat(); // a beat after the end renews nothing
    await settle();
    expect(lock.renewals()).toBe(0);
  });

  it('stops the heartbeat and releases the claim when the work fails, and passes the failure on', async () => {
    const lock = new RecordingLock();
    const timer = manualTimer();
    const work = pendingWork<string>();
    const running = withClaim(lock, KEY, LEASE, work.run, timer);
    await settle();
    const failure = new Error('SES said no');
    work.fail(failure);
    await expect(running).rejects.toBe(failure);
    expect(timer.stopped).toBe(1);
    expect(lock.calls.at(-1)).toBe(`release ${KEY} token-1`);
    expect(lock.held).toBeNull();
  });

  it('keeps the run going when a renewal fails: the next beat renews again', async () => {
    const lock = new RecordingLock();
    lock.renewFails = 1;
    const timer = manualTimer();
    const work = pendingWork<string>();
    const running = withClaim(lock, KEY, LEASE, work.run, timer);
    await settle();
    timer.beat();
    await settle();
    timer.beat();
    await settle();
    expect(lock.renewals()).toBe(2);
    work.finish('report');
    await expect(running).resolves.toBe('report');
    expect(lock.held).toBeNull();
  });

  it('does no work, starts no heartbeat and throws ReportInProgressError while another run holds the claim', async () => {
    const lock = new RecordingLock();
    lock.held = 'other-run';
    const timer = manualTimer();
    const work = pendingWork<string>();
    const err = await withClaim(lock, KEY, LEASE, work.run, timer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportInProgressError);
    expect((err as Error).message).toBe(
      `Another run is making the report ${KEY} right now; try again in a few minutes`,
    );
    expect(work.started).toBe(false);
    expect(timer.intervals).toEqual([]);
    expect(lock.calls).toEqual([`acquire ${KEY} ${LEASE}`]);
    expect(lock.held).toBe('other-run');
  });
});

describe('the claim on a report', () => {
  it('is keyed by subscription and period, like the report', () => {
    expect(claimKey('sales', { from: '2024-10-21', till: '2024-10-21' })).toBe(KEY);
    expect(claimKey('sales', { from: '2024-10-01', till: '2024-10-31' })).toBe(
      'report/sales/2024-10-01_2024-10-31',
    );
  });

  it('lasts two minutes by default, so a run that dies frees its report within two minutes', () => {
    expect(LOCK_LEASE_MS).toBe(120_000);
  });
});

/** A clock the test moves by hand. */
function handClock(start = Date.UTC(2024, 9, 22, 5)) {
  let t = start;
  return { now: () => t, move: (ms: number) => (t += ms) };
}

/** Runs a claim with a hand timer and clock; `work` gets the fence and finishes when the test says. */
async function claimed(lock: RecordingLock) {
  const timer = manualTimer();
  const clock = handClock();
  const work = pendingWork<string>();
  let fence!: ClaimFence;
  const running = withClaim(
    lock,
    KEY,
    LEASE,
    (f) => {
      fence = f;
      return work.run();
    },
    timer,
    clock,
  );
  await settle();
  return { timer, clock, work, running, fence: () => fence };
}

describe('the fence', () => {
  it('proves the claim with the step before it, and lets the step go on while the claim is ours', async () => {
    const lock = new RecordingLock();
    const c = await claimed(lock);
    await proveClaim(c.fence(), 'email');
    expect(lock.calls).toContain(`prove ${KEY} token-1 ${LEASE} email`);
    c.work.finish('report');
    await expect(c.running).resolves.toBe('report');
  });

  it('stops the step with ClaimLostError when the store says the claim is another run’s', async () => {
    const lock = new RecordingLock();
    const c = await claimed(lock);
    lock.held = 'another-run';
    const err = await proveClaim(c.fence(), 'email').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimLostError);
    expect((err as Error).message).toBe(
      `This run lost its claim on the report ${KEY} (its lease ran out or another run holds it); it stopped without sending`,
    );
    expect(c.fence().signal.aborted).toBe(true);
    c.work.finish('report');
    await c.running;
  });

  it('is a no-op for a run without a claim (the CLI)', async () => {
    await expect(proveClaim(undefined, 'email')).resolves.toBeUndefined();
  });
});

describe('the heartbeat', () => {
  it('finds the claim lost when renewals fail for longer than the lease, and the fence then refuses without asking', async () => {
    const lock = new RecordingLock();
    lock.renewFails = 99;
    const c = await claimed(lock);
    for (let beat = 1; beat <= 2; beat++) {
      c.clock.move(LEASE / 3);
      c.timer.beat();
      await settle();
      expect(c.fence().signal.aborted).toBe(false); // still inside the lease: retried at the next beat
    }
    c.clock.move(LEASE / 3);
    c.timer.beat();
    await settle();
    expect(c.fence().signal.aborted).toBe(true);
    expect(() => c.fence().check()).toThrow(
      `(its renewals failed for longer than the ${LEASE / 1000}-second lease)`,
    );
    const proofs = () => lock.calls.filter((x) => x.startsWith('prove')).length;
    await expect(proveClaim(c.fence(), 'email')).rejects.toBeInstanceOf(ClaimLostError);
    expect(proofs()).toBe(0);
    c.work.finish('report');
    await c.running;
    expect(lock.calls.at(-1)).toBe(`release ${KEY} token-1`);
  });

  it('counts the lease from the last renewal that succeeded', async () => {
    const lock = new RecordingLock();
    const c = await claimed(lock);
    c.clock.move(LEASE / 3);
    c.timer.beat(); // renewed: the lease now runs to 4/3 of it from the start
    await settle();
    lock.renewFails = 99;
    for (let beat = 1; beat <= 3; beat++) {
      c.clock.move(LEASE / 3);
      c.timer.beat();
      await settle();
      // The first lease ended at the second of these beats; the renewed one ends at the third.
      expect(c.fence().signal.aborted).toBe(beat === 3);
    }
    c.work.finish('report');
    await c.running;
  });

  it('finds the claim lost at once when a renewal says it is another run’s', async () => {
    const lock = new RecordingLock();
    const c = await claimed(lock);
    lock.held = 'another-run';
    c.timer.beat();
    await settle();
    expect(c.fence().signal.aborted).toBe(true);
    expect(c.fence().signal.reason).toBeInstanceOf(ClaimLostError);
    c.work.finish('report');
    await c.running;
  });
});
