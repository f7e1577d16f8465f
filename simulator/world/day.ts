/**
 * One day of the world: the calls it originates, drawn from that day's own
 * seeded stream, so a day is the same whichever period asks for it.
 *
 * - "primary" calls arrive by an hourly profile (business-hours peak, a lunch
 *   dip, a trickle at night; Saturdays, Sundays and holidays lighter and later);
 * - ~65 % are incoming external calls, of which a share is missed (more at
 *   lunch, in the evening, at night and on rest days); ~30 % are outgoing;
 *   ~5 % are internal;
 * - a missed call may be followed by: a callback from an employee minutes to
 *   hours later (moved into working hours, so a late miss is called back the
 *   next morning; some callbacks go unanswered and are retried), the client
 *   calling again on their own, the client calling again at once and missing
 *   again (repeated misses from one number), or nothing at all.
 *
 * Follow-ups belong to the day of the miss they answer, whatever day they
 * land on: the calls of a date are its own primaries and follow-ups plus the
 * follow-ups of the `MAX_LAG_DAYS` days before it that land on it (a morning
 * callback to last night's miss). Follow-ups later than that are never made.
 */
import { isRestDay, volumeWeight } from './calendar.ts';
import { cumulative, dayStream, hash32, pick, pickCum } from './random.ts';
import { IN_LOST, IN_OK, INT_LOST, INT_OK, OUT_LOST, OUT_OK } from './row.ts';
import type { Staff } from './staff.ts';

/** A day's follow-ups land at most this many days after it. */
export const MAX_LAG_DAYS = 2;

const DAY_SEC = 86_400;
const EVENTS_SALT = 0x0c0ffee0;
const NOISE_SALT = 0x7015e;
const ROUND_SALT = 0x40dd;
const CLIENTS_SALT = 0xc11e47;

/** Relative call volume by local hour: weekdays peak 10–12 and 14–16, dip at 13. */
const HOURS_WEEKDAY = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 3, 7.5, 9.5, 10, 9.5, 7.5, 9, 9.5, 9, 8, 5.5, 3, 1.8, 1.2, 0.8, 0.4,
];
const HOURS_REST_DAY = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3, 5, 6.5, 7, 7, 6.5, 6, 5.5, 4.5, 3.5, 2.5, 1.8, 1.2, 0.8,
  0.4,
];
/** Chance an incoming call is missed, by hour: nobody answers at night. */
const MISS_BY_HOUR = [
  0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.7, 0.6, 0.25, 0.08, 0.07, 0.07, 0.08, 0.15, 0.08, 0.07, 0.08, 0.09,
  0.12, 0.2, 0.4, 0.6, 0.7, 0.75,
];
const CUM_WEEKDAY = cumulative(HOURS_WEEKDAY);
const CUM_REST_DAY = cumulative(HOURS_REST_DAY);

/** What is the same on every day of one world. */
export interface World {
  seed: number;
  staff: Staff;
  /** Calls an ordinary Tuesday originates, on average; other days by their calendar weight. */
  callsPerDay: number;
  /** Size of the pool of regular clients, who call (and are called) again and again. */
  regulars: number;
}

export function makeWorld(seed: number, staff: Staff, callsPerDay: number): World {
  return { seed, staff, callsPerDay, regulars: Math.max(30, Math.round(callsPerDay * 0.6)) };
}

/** A day's volume relative to an ordinary Tuesday: its calendar weight with its own ±10 % noise. */
export function dayWeight(seed: number, day: number): number {
  return volumeWeight(day) * (0.9 + 0.2 * dayStream(seed, NOISE_SALT, day)());
}

/** How many calls a day originates: `callsPerDay` by its weight, rounded up with the chance of the fraction. */
export function dayTarget(world: World, day: number): number {
  return Math.floor(
    world.callsPerDay * dayWeight(world.seed, day) + dayStream(world.seed, ROUND_SALT, day)(),
  );
}

/** Flat, growable event storage (struct of arrays); `sec` is wall-clock seconds since 1970. */
export class Events {
  sec: number[] = [];
  kind: number[] = [];
  client: number[] = [];
  line: number[] = [];
  emp: number[] = [];
  emp2: number[] = [];
  get length(): number {
    return this.sec.length;
  }
  push(sec: number, kind: number, client: number, line: number, emp: number, emp2: number): void {
    this.sec.push(sec);
    this.kind.push(kind);
    this.client.push(client);
    this.line.push(line);
    this.emp.push(emp);
    this.emp2.push(emp2);
  }
}

/** Moves a moment outside working hours (09:00–20:00) to the next working morning. */
function intoWorkingHours(rand: () => number, sec: number): number {
  const day = Math.floor(sec / DAY_SEC);
  const t = sec - day * DAY_SEC;
  if (t >= 9 * 3600 && t < 20 * 3600) return sec;
  const morning = (t < 9 * 3600 ? day : day + 1) * DAY_SEC + 9 * 3600;
  return morning + Math.floor(rand() * 5400);
}

/** Delay before an employee calls a missed client back, seconds. */
function callbackDelay(rand: () => number): number {
  const u = rand();
  if (u < 0.35) return 60 + Math.floor(rand() * 840); // up to 15 min
  if (u < 0.65) return 900 + Math.floor(rand() * 2700); // up to an hour
  if (u < 0.88) return 3600 + Math.floor(rand() * 3 * 3600); // up to 4 h
  return 4 * 3600 + Math.floor(rand() * 16 * 3600);
}

/**
 * The calls one day originates, appended to `events` one primary (with its
 * follow-ups) at a time: the n-th primary of a day is the same in every run.
 */
export class Day {
  /** Events this day has appended so far. */
  originated = 0;
  private readonly rand: () => number;
  private readonly startSec: number;
  private readonly limitSec: number;
  private readonly rest: boolean;
  private readonly newClientBase: number;
  private newClients = 0;
  private readonly world: World;
  private readonly events: Events;

  constructor(world: World, day: number, events: Events) {
    this.world = world;
    this.events = events;
    this.rand = dayStream(world.seed, EVENTS_SALT, day);
    this.startSec = day * DAY_SEC;
    this.limitSec = (day + 1 + MAX_LAG_DAYS) * DAY_SEC;
    this.rest = isRestDay(day);
    this.newClientBase = hash32(day, hash32(world.seed, CLIENTS_SALT));
  }

  /** One call arriving on this day, and what follows it. */
  primary(): void {
    const { rand, rest } = this;
    const staff = this.world.staff;
    const employeeCount = staff.employees.length;
    const u = rand();
    let hour = pickCum(rand, rest ? CUM_REST_DAY : CUM_WEEKDAY);
    // Employees make calls (outgoing and internal) in working hours only.
    if (u < 0.35) while (hour < 8 || hour >= 20) hour = pickCum(rand, rest ? CUM_REST_DAY : CUM_WEEKDAY);
    const sec = this.startSec + hour * 3600 + Math.floor(rand() * 3600);
    if (u < 0.05 && employeeCount > 1) {
      const a = Math.floor(rand() * employeeCount);
      const b = (a + 1 + Math.floor(rand() * (employeeCount - 1))) % employeeCount;
      this.push(sec, rand() < 0.88 ? INT_OK : INT_LOST, 0, 0, a, b);
    } else if (u < 0.35) {
      const line = pickCum(rand, staff.lineCum);
      this.push(sec, rand() < 0.75 ? OUT_OK : OUT_LOST, this.client(0.6), line, this.lineEmployee(line), -1);
    } else {
      const line = pickCum(rand, staff.lineCum);
      const client = this.client(0.25);
      const missRate = Math.min(0.9, (MISS_BY_HOUR[hour] ?? 0.1) * (rest ? 1.3 : 1));
      if (rand() >= missRate) {
        this.push(sec, IN_OK, client, line, this.lineEmployee(line), -1);
      } else {
        this.push(sec, IN_LOST, client, line, -1, -1);
        this.followUp(sec, client, line, 0);
      }
    }
  }

  private push(sec: number, kind: number, client: number, line: number, emp: number, emp2: number): boolean {
    if (sec >= this.limitSec) return false;
    this.events.push(sec, kind, client, line, emp, emp2);
    this.originated++;
    return true;
  }

  /** A regular client (skewed: a few call very often) or a new one, never seen before. */
  private client(regularShare: number): number {
    const { rand } = this;
    if (rand() < regularShare) return Math.floor(this.world.regulars * rand() * rand());
    // New clients: indexes 2^30..2^31-1, consecutive within the day from a per-day offset.
    return (((this.newClientBase + this.newClients++) & 0x3fffffff) | 0x40000000) >>> 0;
  }

  private lineEmployee(line: number): number {
    const staff = this.world.staff;
    const group = staff.lines[line]?.group;
    return group && group.length > 0
      ? pick(this.rand, group)
      : Math.floor(this.rand() * staff.employees.length);
  }

  private followUp(missSec: number, client: number, line: number, depth: number): void {
    const { rand } = this;
    const u = rand();
    if (u < 0.08 && depth < 3) {
      // Calls again at once and is missed again: repeated misses from one number.
      const t = missSec + 30 + Math.floor(rand() * 600);
      if (this.push(t, IN_LOST, client, line, -1, -1)) this.followUp(t, client, line, depth + 1);
    } else if (u < 0.58) {
      // An employee calls back; a fifth of callbacks go unanswered, half of those are retried.
      const t = intoWorkingHours(rand, missSec + callbackDelay(rand));
      const emp = this.lineEmployee(line);
      if (rand() < 0.78) this.push(t, OUT_OK, client, line, emp, -1);
      else if (this.push(t, OUT_LOST, client, line, emp, -1) && rand() < 0.5) {
        const t2 = intoWorkingHours(rand, t + 600 + Math.floor(rand() * 7200));
        this.push(t2, rand() < 0.6 ? OUT_OK : OUT_LOST, client, line, this.lineEmployee(line), -1);
      }
    } else if (u < 0.8) {
      // The client calls again on their own, usually in working hours; mostly gets through.
      let t = missSec + 300 + Math.floor(rand() * 5 * 3600);
      if (rand() < 0.7) t = intoWorkingHours(rand, t);
      this.push(t, rand() < 0.85 ? IN_OK : IN_LOST, client, line, this.lineEmployee(line), -1);
    }
    // else: nobody did anything, the miss stays unreturned
  }
}
