import { describe, expect, it } from 'vitest';
import type { Call } from '../../functions/shared/calls/call.ts';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import { NO_EMPLOYEE, type SummariseInput, summarise } from '../../functions/shared/report/summarise.ts';
import { DEFAULT_SETTINGS, type Totals } from '../../functions/shared/report/types.ts';
import { type Period, parseWall } from '../../functions/shared/time.ts';

const PERIOD: Period = { from: '2024-03-10', till: '2024-03-10', timezone: 'Europe/Moscow' };

/** Wall instant of `2024-03-10 hh:mm:ss` (or a full `YYYY-MM-DD hh:mm:ss`). */
function w(text: string): number {
  const ms = parseWall(text.length <= 8 ? `2024-03-10 ${text}` : text);
  if (ms === null) throw new Error(`bad time ${text}`);
  return ms;
}

let nextId = 1;

interface CallSpec extends Partial<Omit<Call, 'start'>> {
  /** `hh:mm:ss` on 2024-03-10, or a full `YYYY-MM-DD hh:mm:ss`. */
  at: string;
  /** Client number; its normal form is derived unless contactNormal is given. */
  number?: string | null;
}

function call(spec: CallSpec): Call {
  const { at, number = '+7 (900) 000-00-01', ...rest } = spec;
  return {
    id: nextId++,
    start: w(at),
    finish: null,
    direction: 'in',
    lost: false,
    internal: false,
    directionLabel: null,
    statusLabel: null,
    type: null,
    finishReason: null,
    contactNumber: number,
    contactNormal: normalisePhone(number),
    virtualNumber: '74950000000',
    virtualNumberComment: null,
    employees: [],
    receivedCall: null,
    firstEmployeeInternal: null,
    secondEmployeeInternal: null,
    coaches: [],
    coachHandled: null,
    blacklisted: null,
    totalSeconds: 30,
    awaitSeconds: null,
    talkSeconds: null,
    processedMarkSeconds: null,
    tags: [],
    records: [],
    rating: null,
    comment: null,
    commentAuthor: null,
    ...rest,
  };
}

const miss = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'in', lost: true, ...extra });
const answeredIn = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'in', lost: false, ...extra });
const answeredOut = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'out', lost: false, ...extra });
const failedOut = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'out', lost: true, ...extra });

/** The report made long after the period, so the horizon is the full 24 h. */
function run(calls: Call[], more: Partial<SummariseInput> = {}) {
  return summarise({
    period: PERIOD,
    calls,
    followUps: [],
    generatedAt: Date.UTC(2024, 2, 12, 3, 0, 0),
    nowWall: w('2024-03-12 06:00:00'),
    ...more,
  });
}

const A = '+7 900 111-11-11';
const B = '8 (900) 222-22-22';
const C = '9003333333';
const D = '+7 900 444-44-44';

describe('summarise: missed call outcomes', () => {
  it('gives each of the four outcomes and they add up to missed.total', () => {
    const calls = [
      miss('09:00:00', A),
      answeredOut('09:10:00', A, { receivedCall: 'Иванов' }),
      miss('10:00:00', B),
      answeredIn('10:30:00', B),
      miss('11:00:00', C),
      failedOut('11:05:00', C),
      failedOut('11:35:00', C),
      miss('12:00:00', D),
    ];
    const { summary, missed } = run(calls);
    expect(missed.map((m) => m.outcome)).toEqual([
      'called_back',
      'client_called_again',
      'callback_failed',
      'unreturned',
    ]);
    const m = summary.missed;
    expect(m).toMatchObject({ total: 4, numbers: 4, called_back: 1, client_called_again: 1 });
    expect(m.callback_failed).toBe(1);
    expect(m.unreturned).toBe(1);
    expect(m.called_back + m.client_called_again + m.callback_failed + m.unreturned).toBe(m.total);
    expect(m.total).toBe(summary.totals.incoming_missed);
    expect(m.unreturned_numbers).toEqual(['79004444444']);
    expect(missed[0]).toMatchObject({ delay_seconds: 600, callback_employee: 'Иванов', attempts: 1 });
    expect(missed[0]?.resolved_by).toBe(calls[1]);
    expect(missed[1]).toMatchObject({ delay_seconds: 1800, callback_employee: null, attempts: 0 });
    expect(missed[2]).toMatchObject({ resolved_by: null, delay_seconds: null, attempts: 2 });
    expect(missed[3]).toMatchObject({ resolved_by: null, delay_seconds: null, attempts: 0 });
  });

  it('client_called_again: an answered incoming call from the number resolves the miss, no callback credited', () => {
    const { summary, missed } = run([
      miss('09:00:00', A, { employees: ['Петров'] }),
      answeredIn('09:20:00', A, { receivedCall: 'Петров' }),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'client_called_again', delay_seconds: 1200 });
    expect(summary.missed.client_called_again).toBe(1);
    expect(summary.missed.avg_callback_delay_seconds).toBeNull();
    expect(summary.employees.every((e) => e.callbacks === 0)).toBe(true);
  });

  it('callback_failed: unanswered outgoing attempts count, and a later answered callback still wins', () => {
    const failedOnly = run([miss('09:00:00', A), failedOut('09:05:00', A), failedOut('09:40:00', A)]);
    expect(failedOnly.missed[0]).toMatchObject({ outcome: 'callback_failed', attempts: 2 });
    expect(failedOnly.summary.missed.callback_failed).toBe(1);
    expect(failedOnly.summary.missed.unreturned_numbers).toEqual([]);

    const thenReached = run([
      miss('09:00:00', A),
      failedOut('09:05:00', A),
      failedOut('09:40:00', A),
      answeredOut('10:00:00', A, { receivedCall: 'Иванов' }),
    ]);
    expect(thenReached.missed[0]).toMatchObject({ outcome: 'called_back', attempts: 3, delay_seconds: 3600 });
  });

  it('the first answered call (by start) resolves, not a later one', () => {
    const { missed } = run([
      miss('09:00:00', A),
      answeredOut('09:30:00', A, { receivedCall: 'Второй' }),
      answeredIn('09:10:00', A),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'client_called_again', delay_seconds: 600 });
  });

  it('only calls starting strictly after the miss count; earlier and simultaneous calls do not resolve it', () => {
    const { missed } = run([
      answeredOut('08:00:00', A),
      miss('09:00:00', A),
      answeredIn('09:00:00', A),
      failedOut('09:00:00', A),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'unreturned', attempts: 0 });
  });

  it('matches by normal number: 8…, +7… and bare 10-digit 9… forms are the same client', () => {
    const { missed } = run([miss('09:00:00', '8 900 555 55 55'), answeredOut('09:01:00', '9005555555')]);
    expect(missed[0]?.outcome).toBe('called_back');
  });

  it('internal and lost incoming calls never resolve a miss', () => {
    const { missed } = run([
      miss('09:00:00', A),
      answeredOut('09:05:00', A, { internal: true }),
      miss('09:10:00', A),
    ]);
    expect(missed.map((m) => m.outcome)).toEqual(['unreturned', 'unreturned']);
  });

  it('several misses from one number share one callback: callbacks credited 3 times, times_missed_in_period 3', () => {
    const { summary, missed } = run([
      miss('09:00:00', A, { employees: ['Иванов'] }),
      miss('09:05:00', A, { employees: ['Иванов'] }),
      miss('09:10:00', A, { employees: ['Иванов'] }),
      answeredOut('09:20:00', A, { receivedCall: 'Сидоров' }),
    ]);
    expect(missed.map((m) => m.outcome)).toEqual(['called_back', 'called_back', 'called_back']);
    expect(missed.map((m) => m.times_missed_in_period)).toEqual([3, 3, 3]);
    expect(missed.map((m) => m.delay_seconds)).toEqual([1200, 900, 600]);
    expect(summary.missed).toMatchObject({ total: 3, numbers: 1, called_back: 3 });
    expect(summary.missed.avg_callback_delay_seconds).toBe(900);
    const sidorov = summary.employees.find((e) => e.name === 'Сидоров');
    expect(sidorov?.callbacks).toBe(3);
    expect(summary.employees.reduce((n, e) => n + e.callbacks, 0)).toBe(summary.missed.called_back);
  });

  it('a miss after the callback is not resolved by it', () => {
    const { summary, missed } = run([miss('09:00:00', A), answeredOut('09:30:00', A), miss('10:00:00', A)]);
    expect(missed.map((m) => m.outcome)).toEqual(['called_back', 'unreturned']);
    expect(missed.map((m) => m.times_missed_in_period)).toEqual([2, 2]);
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
  });

  it('a missed call with no number is unreturned, counted, but not in numbers nor unreturned_numbers', () => {
    const { summary, missed } = run([
      miss('09:00:00', null),
      answeredOut('09:10:00', null),
      miss('10:00:00', A),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'unreturned', times_missed_in_period: 1, attempts: 0 });
    expect(summary.missed).toMatchObject({ total: 2, numbers: 1, unreturned: 2 });
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
    expect(summary.lines[0]?.unreturned).toBe(2);
  });

  it('the missed list is sorted by call start whatever the input order', () => {
    const late = miss('15:00:00', A);
    const early = miss('08:00:00', B);
    const noon = miss('12:00:00', null);
    const { missed } = run([late, early, noon]);
    expect(missed.map((m) => m.call)).toEqual([early, noon, late]);
  });
});

describe('summarise: callback delay buckets', () => {
  it('puts delays of exactly 900/3600/14400 s in the lower bucket and one second more in the next', () => {
    const numbers = [
      '79000000901',
      '79000000902',
      '79000000903',
      '79000000904',
      '79000000905',
      '79000000906',
    ];
    const delays = [900, 901, 3600, 3601, 14400, 14401];
    const calls: Call[] = [];
    numbers.forEach((n, i) => {
      calls.push(miss('08:00:00', n));
      const s = 8 * 3600 + (delays[i] as number);
      const hh = String(Math.floor(s / 3600)).padStart(2, '0');
      const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
      const ss = String(s % 60).padStart(2, '0');
      calls.push(answeredOut(`${hh}:${mm}:${ss}`, n));
    });
    const { summary, missed } = run(calls);
    expect(missed.map((m) => m.delay_seconds)).toEqual(delays);
    expect(summary.missed.callback_delay_buckets).toEqual({ le_15m: 1, le_1h: 2, le_4h: 2, later: 1 });
    // (900 + 901 + 3600 + 3601 + 14400 + 14401) / 6 = 6300.5 -> 6301
    expect(summary.missed.avg_callback_delay_seconds).toBe(6301);
  });
});

describe('summarise: follow-up horizon', () => {
  it('a miss at 23:50 called back at 00:10 the next day (a follow-up) is called_back with 1200 s', () => {
    const back = answeredOut('2024-03-11 00:10:00', A, { receivedCall: 'Ночной' });
    const { summary, missed } = run([miss('23:50:00', A)], { followUps: [back] });
    expect(missed[0]).toMatchObject({
      outcome: 'called_back',
      delay_seconds: 1200,
      callback_employee: 'Ночной',
    });
    expect(missed[0]?.resolved_by).toBe(back);
    expect(summary.missed.callback_delay_buckets.le_1h).toBe(1);
    // The follow-up itself is in no other figure, but its employee gets the callback.
    expect(summary.totals.outgoing).toBe(0);
    expect(summary.employees.find((e) => e.name === 'Ночной')).toMatchObject({ outgoing: 0, callbacks: 1 });
  });

  it('the same callback is not seen when the report is made before it (nowWall 00:05): unreturned', () => {
    const back = answeredOut('2024-03-11 00:10:00', A);
    const { summary, missed } = run([miss('23:50:00', A)], {
      followUps: [back],
      nowWall: w('2024-03-11 00:05:00'),
    });
    expect(missed[0]?.outcome).toBe('unreturned');
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
  });

  it('nowWall itself is inclusive', () => {
    const { missed } = run([miss('23:50:00', A)], {
      followUps: [answeredOut('2024-03-11 00:10:00', A)],
      nowWall: w('2024-03-11 00:10:00'),
    });
    expect(missed[0]?.outcome).toBe('called_back');
  });

  it('the horizon (period end 23:59:59 + 24 h) is inclusive; one second later is out', () => {
    const atEdge = run([miss('12:00:00', A)], { followUps: [answeredOut('2024-03-11 23:59:59', A)] });
    expect(atEdge.missed[0]?.outcome).toBe('called_back');
    const after = run([miss('12:00:00', A)], {
      followUps: [answeredOut('2024-03-12 00:00:00', A), failedOut('2024-03-12 00:00:01', A)],
    });
    expect(after.missed[0]).toMatchObject({ outcome: 'unreturned', attempts: 0 });
  });

  it('a call in `calls` after the period, within the horizon, resolves a miss but is not counted', () => {
    const { summary, missed } = run([miss('22:00:00', A), answeredOut('2024-03-11 09:00:00', A)]);
    expect(missed[0]?.outcome).toBe('called_back');
    expect(summary.totals).toMatchObject({ calls: 1, outgoing: 0 });
  });
});

describe('summarise: what is counted', () => {
  it('counts an internal call only in totals.internal and totals.calls', () => {
    const internalCall = call({
      at: '10:00:00',
      internal: true,
      lost: true,
      employees: ['Иванов'],
      receivedCall: 'Иванов',
      talkSeconds: 100,
      awaitSeconds: 50,
      virtualNumber: '74951111111',
    });
    const { summary, missed } = run([internalCall]);
    expect(summary.totals).toMatchObject({
      calls: 1,
      internal: 1,
      incoming: 0,
      incoming_missed: 0,
      outgoing: 0,
      talk_seconds: 0,
      short_missed: 0,
    });
    expect(summary.totals.avg_wait_seconds).toBeNull();
    expect(summary.missed.total).toBe(0);
    expect(missed).toEqual([]);
    expect(summary.employees).toEqual([]);
    expect(summary.lines).toEqual([]);
    expect(summary.hours.every((h) => h.incoming === 0 && h.outgoing === 0)).toBe(true);
  });

  it('counts a duplicated id once, the first occurrence winning', () => {
    const first = miss('09:00:00', A);
    const dup: Call = { ...first, lost: false, direction: 'out' };
    const { summary, missed } = run([first, dup, first], { followUps: [dup] });
    expect(summary.totals).toMatchObject({ calls: 1, incoming: 1, incoming_missed: 1, outgoing: 0 });
    expect(missed).toHaveLength(1);
    expect(missed[0]?.outcome).toBe('unreturned');
  });

  it('ignores calls outside the period in every figure', () => {
    const { summary, missed } = run([
      miss('2024-03-09 23:59:59', A),
      answeredIn('2024-03-11 00:00:00', B, { talkSeconds: 100 }),
      miss('00:00:00', C),
      miss('23:59:59', D),
    ]);
    expect(summary.totals).toMatchObject({ calls: 2, incoming: 2, incoming_missed: 2, talk_seconds: 0 });
    expect(missed.map((m) => m.call.contactNormal)).toEqual(['79003333333', '79004444444']);
  });

  it('counts follow-ups in no figure', () => {
    const followUps = [
      miss('2024-03-11 01:00:00', B, { employees: ['Петров'] }),
      answeredIn('2024-03-11 02:00:00', C, { talkSeconds: 100, awaitSeconds: 10, virtualNumber: '7495999' }),
      answeredOut('2024-03-11 03:00:00', D, { receivedCall: 'Петров', talkSeconds: 100 }),
      call({ at: '2024-03-11 04:00:00', internal: true }),
    ];
    const withThem = run([answeredIn('10:00:00', A, { talkSeconds: 60 })], { followUps });
    const without = run([answeredIn('10:00:00', A, { talkSeconds: 60 })]);
    expect(withThem.summary).toEqual(without.summary);
    expect(withThem.missed).toEqual([]);
  });

  it('a follow-up inside the period (not in calls) still only resolves, and is not counted', () => {
    const { summary, missed } = run([miss('09:00:00', A)], { followUps: [answeredOut('09:30:00', A)] });
    expect(missed[0]?.outcome).toBe('called_back');
    expect(summary.totals.outgoing).toBe(0);
  });
});

describe('summarise: totals', () => {
  it('computes the headline figures', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, { talkSeconds: 100, awaitSeconds: 10 }),
      answeredIn('09:10:00', B, { talkSeconds: 200, awaitSeconds: 30 }),
      miss('09:20:00', C),
      miss('09:30:00', D),
      answeredOut('10:00:00', A, { talkSeconds: 50 }),
      failedOut('10:10:00', B, { talkSeconds: 0 }),
      call({ at: '11:00:00', internal: true, talkSeconds: 500 }),
    ]);
    expect(summary.totals).toEqual({
      calls: 7,
      internal: 1,
      incoming: 4,
      incoming_answered: 2,
      incoming_missed: 2,
      missed_rate: 0.5,
      short_missed: 0,
      outgoing: 2,
      outgoing_answered: 1,
      talk_seconds: 350,
      avg_talk_seconds_incoming: 150,
      avg_talk_seconds_outgoing: 50,
      avg_wait_seconds: 20,
      max_wait_seconds: 30,
      sla_seconds: 20,
      sla_rate: 0.25,
    } satisfies Totals);
  });

  it('with no calls: rates are 0, means and max are null', () => {
    const { summary } = run([]);
    expect(summary.totals).toMatchObject({ calls: 0, missed_rate: 0, sla_rate: 0 });
    expect(summary.totals.avg_wait_seconds).toBeNull();
    expect(summary.totals.max_wait_seconds).toBeNull();
    expect(summary.totals.avg_talk_seconds_incoming).toBeNull();
    expect(summary.totals.avg_talk_seconds_outgoing).toBeNull();
    expect(summary.missed.avg_callback_delay_seconds).toBeNull();
    expect(summary.employees).toEqual([]);
    expect(summary.lines).toEqual([]);
  });

  it('null waits: avg/max wait null, yet those calls count within the SLA', () => {
    const { summary } = run([answeredIn('09:00:00', A), answeredIn('09:05:00', B), miss('09:10:00', C)]);
    expect(summary.totals.avg_wait_seconds).toBeNull();
    expect(summary.totals.max_wait_seconds).toBeNull();
    expect(summary.totals.sla_rate).toBeCloseTo(2 / 3, 12);
    expect(summary.employees.find((e) => e.name === NO_EMPLOYEE)?.avg_wait_seconds).toBeNull();
  });

  it('SLA: a wait equal to sla_seconds is within, one second more is not; the mean skips null waits', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, { awaitSeconds: 20 }),
      answeredIn('09:01:00', A, { awaitSeconds: 21 }),
      answeredIn('09:02:00', A, { awaitSeconds: null }),
      answeredIn('09:03:00', A, { awaitSeconds: 0 }),
    ]);
    expect(summary.totals.sla_rate).toBe(0.75);
    expect(summary.totals.avg_wait_seconds).toBe(14); // (20 + 21 + 0) / 3 = 13.67
    expect(summary.totals.max_wait_seconds).toBe(21);
  });

  it('rounds means to the nearest second, halves up', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, { talkSeconds: 10, awaitSeconds: 2 }),
      answeredIn('09:01:00', A, { talkSeconds: 11, awaitSeconds: 3 }),
      answeredOut('09:02:00', A, { talkSeconds: 10 }),
      answeredOut('09:03:00', A, { talkSeconds: 10 }),
      answeredOut('09:04:00', A, { talkSeconds: 11 }),
    ]);
    expect(summary.totals.avg_talk_seconds_incoming).toBe(11); // 10.5
    expect(summary.totals.avg_wait_seconds).toBe(3); // 2.5
    expect(summary.totals.avg_talk_seconds_outgoing).toBe(10); // 10.33
    expect(summary.employees[0]?.avg_talk_seconds).toBe(10); // 52 / 5 = 10.4
  });

  it('short_missed counts total duration = short_call_seconds, not one second more, not unknown', () => {
    const { summary } = run([
      miss('09:00:00', A, { totalSeconds: 5 }),
      miss('09:01:00', A, { totalSeconds: 0 }),
      miss('09:02:00', A, { totalSeconds: 6 }),
      miss('09:03:00', A, { totalSeconds: null }),
      answeredIn('09:04:00', B, { totalSeconds: 2 }),
      failedOut('09:05:00', C, { totalSeconds: 1 }),
    ]);
    expect(summary.totals.short_missed).toBe(2);
  });

  it('settings override the defaults key by key', () => {
    const calls = [
      miss('09:00:00', A, { totalSeconds: 8 }),
      answeredIn('09:01:00', B, { awaitSeconds: 30 }),
      answeredOut('11:00:00', A),
    ];
    const defaults = run(calls);
    expect(defaults.summary.settings).toEqual(DEFAULT_SETTINGS);
    expect(defaults.summary.totals).toMatchObject({ sla_seconds: 20, sla_rate: 0, short_missed: 0 });
    expect(defaults.missed[0]?.outcome).toBe('called_back');

    const custom = run(calls, { settings: { sla_seconds: 30, short_call_seconds: 10 } });
    expect(custom.summary.settings).toEqual({
      sla_seconds: 30,
      short_call_seconds: 10,
      callback_horizon_hours: 24,
    });
    expect(custom.summary.totals).toMatchObject({ sla_seconds: 30, sla_rate: 0.5, short_missed: 1 });

    // Horizon 0 h: only until the period end 23:59:59.
    const shortHorizon = run([miss('22:00:00', A)], {
      settings: { callback_horizon_hours: 0 },
      followUps: [answeredOut('2024-03-11 00:00:00', A)],
    });
    expect(shortHorizon.missed[0]?.outcome).toBe('unreturned');
    expect(shortHorizon.summary.settings.callback_horizon_hours).toBe(0);
  });

  it('rejects a negative or non-numeric setting', () => {
    expect(() => run([], { settings: { sla_seconds: -1 } })).toThrow(RangeError);
    expect(() => run([], { settings: { callback_horizon_hours: Number.NaN } })).toThrow(RangeError);
  });
});

describe('summarise: employees', () => {
  it('credits answered calls to received_call, else first employee, else "(no employee)"', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, {
        receivedCall: 'Борисов',
        employees: ['Андреев'],
        talkSeconds: 60,
        awaitSeconds: 4,
      }),
      answeredIn('09:10:00', A, { employees: ['Андреев', 'Борисов'], talkSeconds: 30, awaitSeconds: 7 }),
      answeredIn('09:20:00', A, { talkSeconds: 10 }),
      answeredOut('09:30:00', A, { receivedCall: '', employees: ['Андреев'], talkSeconds: 15 }),
      failedOut('09:40:00', A, { employees: ['Борисов'] }),
      failedOut('09:50:00', A),
    ]);
    const by = (name: string) => summary.employees.find((e) => e.name === name);
    expect(by('Борисов')).toMatchObject({
      incoming_answered: 1,
      outgoing: 1,
      outgoing_answered: 0,
      talk_seconds: 60,
      avg_talk_seconds: 60,
      avg_wait_seconds: 4,
    });
    expect(by('Андреев')).toMatchObject({
      incoming_answered: 1,
      outgoing: 1,
      outgoing_answered: 1,
      talk_seconds: 45,
      avg_talk_seconds: 23, // (30 + 15) / 2 = 22.5, both directions
      avg_wait_seconds: 7,
    });
    expect(by(NO_EMPLOYEE)).toMatchObject({ incoming_answered: 1, outgoing: 1, talk_seconds: 10 });
  });

  it('a missed call counts for every listed employee once, or for "(no employee)"', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Андреев', 'Борисов', 'Андреев'] }),
      miss('09:10:00', B, { employees: [] }),
      miss('09:20:00', C, { employees: [''], receivedCall: 'Борисов' }),
    ]);
    const by = Object.fromEntries(summary.employees.map((e) => [e.name, e.missed]));
    expect(by).toEqual({ Андреев: 1, Борисов: 1, [NO_EMPLOYEE]: 2 });
  });

  it('sorts by missed descending, then name (Russian collation)', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Яковлев', 'ёлкин'] }),
      miss('09:10:00', A, { employees: ['Яковлев'] }),
      miss('09:20:00', A, { employees: ['Жуков', 'Ёлкин'] }),
      answeredIn('09:30:00', A, { receivedCall: 'Абрамов' }),
      answeredIn('09:40:00', A, { receivedCall: 'Zimmer' }),
      answeredIn('09:50:00', A),
    ]);
    expect(summary.employees.map((e) => e.name)).toEqual([
      'Яковлев',
      'ёлкин',
      'Ёлкин',
      'Жуков',
      NO_EMPLOYEE,
      'Абрамов', // the Russian collation puts Cyrillic before Latin
      'Zimmer',
    ]);
  });

  it('callbacks go to the first employee of the resolving call when received_call is empty, else "(no employee)"', () => {
    const { summary, missed } = run([
      miss('09:00:00', A),
      answeredOut('09:05:00', A, { employees: ['Андреев', 'Борисов'] }),
      miss('10:00:00', B),
      answeredOut('10:05:00', B),
    ]);
    expect(missed.map((m) => m.callback_employee)).toEqual(['Андреев', NO_EMPLOYEE]);
    const by = Object.fromEntries(summary.employees.map((e) => [e.name, e.callbacks]));
    expect(by).toEqual({ Андреев: 1, [NO_EMPLOYEE]: 1 });
  });
});

describe('summarise: hours and lines', () => {
  it('has exactly 24 hour rows by the local start hour of external calls', () => {
    const { summary } = run([
      miss('00:00:00', A),
      answeredIn('00:59:59', A),
      answeredOut('13:30:00', A),
      miss('23:59:59', A),
      call({ at: '13:00:00', internal: true }),
    ]);
    expect(summary.hours).toHaveLength(24);
    expect(summary.hours.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(summary.hours[0]).toEqual({
      hour: 0,
      incoming: 2,
      incoming_missed: 1,
      missed_rate: 0.5,
      outgoing: 0,
    });
    expect(summary.hours[13]).toEqual({
      hour: 13,
      incoming: 0,
      incoming_missed: 0,
      missed_rate: 0,
      outgoing: 1,
    });
    expect(summary.hours[23]).toEqual({
      hour: 23,
      incoming: 1,
      incoming_missed: 1,
      missed_rate: 1,
      outgoing: 0,
    });
  });

  it('lines: per virtual number (null its own line), first non-empty comment, sorted by missed, incoming, number', () => {
    const L1 = '74951111111';
    const L2 = '74952222222';
    const L3 = '74953333333';
    const L4 = '74954444444';
    const { summary } = run([
      answeredIn('08:59:00', A, { virtualNumber: L4 }),
      answeredIn('09:00:00', A, { virtualNumber: L3 }),
      miss('09:01:00', A, { virtualNumber: L2, virtualNumberComment: '' }),
      answeredIn('09:02:00', A, { virtualNumber: L2, virtualNumberComment: 'Продажи' }),
      answeredIn('09:03:00', A, { virtualNumber: L2, virtualNumberComment: 'Другое' }),
      miss('09:04:00', B, { virtualNumber: L1 }),
      miss('09:05:00', C, { virtualNumber: null }),
      answeredIn('09:06:00', C, { virtualNumber: null }),
      answeredOut('09:07:00', D, { virtualNumber: '74959999999' }),
    ]);
    expect(summary.lines.map((l) => l.virtual_phone_number)).toEqual([L2, null, L1, L3, L4]);
    expect(summary.lines[0]).toEqual({
      virtual_phone_number: L2,
      virtual_number_comment: 'Продажи',
      incoming: 3,
      incoming_missed: 1,
      missed_rate: 1 / 3,
      unreturned: 0,
    });
    expect(summary.lines[1]).toMatchObject({ virtual_number_comment: null, incoming: 2, missed_rate: 0.5 });
    expect(summary.lines[2]).toMatchObject({
      incoming: 1,
      incoming_missed: 1,
      missed_rate: 1,
      unreturned: 1,
    });
    expect(summary.lines[3]).toMatchObject({
      incoming: 1,
      incoming_missed: 0,
      missed_rate: 0,
      unreturned: 0,
    });
  });
});

describe('summarise: the summary document', () => {
  it('has exactly the keys of the contract', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Иванов'] }),
      answeredOut('09:05:00', A, { receivedCall: 'Иванов' }),
    ]);
    expect(Object.keys(summary)).toEqual([
      'period',
      'generated_at',
      'source',
      'settings',
      'totals',
      'missed',
      'employees',
      'hours',
      'lines',
      'previous',
    ]);
    expect(Object.keys(summary.period)).toEqual(['from', 'till', 'timezone']);
    expect(Object.keys(summary.source)).toEqual(['report_id', 'filter']);
    expect(Object.keys(summary.settings)).toEqual([
      'sla_seconds',
      'short_call_seconds',
      'callback_horizon_hours',
    ]);
    expect(Object.keys(summary.totals)).toEqual([
      'calls',
      'internal',
      'incoming',
      'incoming_answered',
      'incoming_missed',
      'missed_rate',
      'short_missed',
      'outgoing',
      'outgoing_answered',
      'talk_seconds',
      'avg_talk_seconds_incoming',
      'avg_talk_seconds_outgoing',
      'avg_wait_seconds',
      'max_wait_seconds',
      'sla_seconds',
      'sla_rate',
    ]);
    expect(Object.keys(summary.missed)).toEqual([
      'total',
      'numbers',
      'called_back',
      'client_called_again',
      'callback_failed',
      'unreturned',
      'callback_delay_buckets',
      'avg_callback_delay_seconds',
      'unreturned_numbers',
    ]);
    expect(Object.keys(summary.missed.callback_delay_buckets)).toEqual(['le_15m', 'le_1h', 'le_4h', 'later']);
    expect(Object.keys(summary.employees[0] ?? {})).toEqual([
      'name',
      'incoming_answered',
      'outgoing',
      'outgoing_answered',
      'missed',
      'talk_seconds',
      'avg_talk_seconds',
      'avg_wait_seconds',
      'callbacks',
    ]);
    expect(Object.keys(summary.hours[0] ?? {})).toEqual([
      'hour',
      'incoming',
      'incoming_missed',
      'missed_rate',
      'outgoing',
    ]);
    expect(Object.keys(summary.lines[0] ?? {})).toEqual([
      'virtual_phone_number',
      'virtual_number_comment',
      'incoming',
      'incoming_missed',
      'missed_rate',
      'unreturned',
    ]);
  });

  it('carries period, generated_at (ISO), source and previous through; defaults source and previous', () => {
    const previousTotals = run([miss('09:00:00', A)]).summary.totals;
    const previous = {
      period: { ...PERIOD, from: '2024-03-09', till: '2024-03-09' },
      totals: previousTotals,
    };
    const { summary } = run([], { source: { report_id: 42, filter: { field: 'x' } }, previous });
    expect(summary.period).toEqual(PERIOD);
    expect(summary.generated_at).toBe('2024-03-12T03:00:00.000Z');
    expect(summary.source).toEqual({ report_id: 42, filter: { field: 'x' } });
    expect(summary.previous).toEqual(previous);

    const bare = run([]);
    expect(bare.summary.source).toEqual({ report_id: null, filter: null });
    expect(bare.summary.previous).toBeNull();
    expect(JSON.parse(JSON.stringify(bare.summary))).toEqual(bare.summary);
  });

  // Speed is measured in `npm run bench`, not here: this proves the figures on a large, one-number input.
  it('resolves a month of alternating misses and answers from one number', () => {
    const period: Period = { from: '2024-03-01', till: '2024-03-31', timezone: 'Europe/Moscow' };
    const calls: Call[] = [];
    const base = w('2024-03-01 00:00:00');
    for (let i = 0; i < 100_000; i++) {
      const c = call({ at: '00:00:00', number: A, lost: i % 2 === 0, direction: i % 4 === 3 ? 'out' : 'in' });
      c.start = base + i * 20_000;
      calls.push(c);
    }
    const { summary, missed } = run(calls, { period, nowWall: w('2024-04-02 00:00:00') });
    expect(summary.totals.calls).toBe(100_000);
    expect(missed).toHaveLength(50_000);
    expect(summary.missed.numbers).toBe(1);
  });
});
