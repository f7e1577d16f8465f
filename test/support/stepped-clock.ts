/**
 * A clock that moves only when the test says so, for code that waits for time
 * windows (the rate gate): `sleep(ms)` parks the caller until `advance()` moves
 * the clock to the earliest wake-up and wakes everyone due. Nothing then depends
 * on how fast the machine is: which window a request falls in is decided by the
 * test's steps, not by how long the requests took.
 */
export interface SteppedClock {
  now(): number;
  /** Parks the caller until the clock reaches now + `ms` (rejects when `signal` aborts first). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Callers parked now. */
  readonly parked: number;
  /** Resolves once `test()` holds; checked whenever a caller parks and on `poke()`. */
  until(test: () => boolean): Promise<void>;
  /** Checks the `until` condition again (call it when something it looks at has changed). */
  poke(): void;
  /**
   * Moves the clock to the earliest wake-up (plus `slackMs`: a step that wakes
   * together everyone due within it), wakes those due, and returns the new time.
   */
  advance(slackMs?: number): number;
  /**
   * A heartbeat timer on this clock (pipeline/claim.ts HeartbeatTimer): `beat`
   * runs each time `advance()` passes another `ms`, as a real interval would
   * while the callers wait. Its beats are not callers: they never count in `parked`.
   */
  readonly timer: { every(ms: number, beat: () => void): () => void };
}

export function steppedClock(start: number): SteppedClock {
  let t = start;
  const parked: { until: number; wake: () => void }[] = [];
  const intervals = new Set<{ ms: number; next: number; beat: () => void }>();
  let check = () => {};
  return {
    now: () => t,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const entry = {
          until: t + ms,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          parked.splice(parked.indexOf(entry), 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        parked.push(entry);
        check();
      });
    },
    get parked() {
      return parked.length;
    },
    until(test) {
      return new Promise<void>((resolve) => {
        check = () => {
          if (test()) resolve();
        };
        check();
      });
    },
    poke: () => check(),
    advance(slackMs = 0) {
      if (parked.length === 0) throw new Error('advance(): nobody is waiting');
      t = Math.max(t, Math.min(...parked.map((p) => p.until)) + slackMs);
      for (const p of parked.filter((q) => q.until <= t)) {
        parked.splice(parked.indexOf(p), 1);
        p.wake();
      }
      for (const i of intervals) {
        // One beat however far the clock jumped, as a late real interval fires once.
        if (i.next <= t) {
          i.next = t + i.ms;
          i.beat();
        }
      }
      return t;
    },
    timer: {
      every(ms, beat) {
        const entry = { ms, next: t + ms, beat };
        intervals.add(entry);
        return () => {
          intervals.delete(entry);
        };
      },
    },
  };
}
