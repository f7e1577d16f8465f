/**
 * Hand-made report summaries for the tests of what shows one (email, SES,
 * workbook): the whole `Summary` shape is written once, in `makeSummary`, so a
 * new figure gets its default here and nowhere else; override what a test is about.
 */
import { NO_EMPLOYEE } from '../../functions/shared/report/figures/employees.ts';
import type {
  CallFirstEntry,
  DayFigures,
  HourFigures,
  Summary,
  Totals,
} from '../../functions/shared/report/types.ts';

/** The totals of a day with 240 incoming calls, 12 missed (5%). */
export function makeTotals(over: Partial<Totals> = {}): Totals {
  return {
    calls: 330,
    internal: 5,
    incoming: 240,
    incoming_answered: 228,
    incoming_missed: 12,
    missed_rate: 0.05,
    short_missed: 2,
    outgoing: 85,
    outgoing_answered: 60,
    talk_seconds: 67_500,
    avg_talk_seconds_incoming: 180,
    avg_talk_seconds_outgoing: 95,
    avg_wait_seconds: 25,
    max_wait_seconds: 140,
    sla_seconds: 20,
    sla_rate: 0.9,
    incoming_in_hours: 240,
    incoming_missed_in_hours: 12,
    missed_rate_in_hours: 0.05,
    ...over,
  };
}

/** One date of `days`: by default 2024-10-21, the day of `makeTotals` with 3 not called back. */
export function makeDay(over: Partial<DayFigures> = {}): DayFigures {
  return {
    date: '2024-10-21',
    incoming: 240,
    incoming_missed: 12,
    missed_rate: 0.05,
    unreturned: 3,
    outgoing: 85,
    avg_wait_seconds: 25,
    sla_rate: 0.9,
    ...over,
  };
}

/** 24 hours, the ones named with [incoming, missed, outgoing], the rest without calls. */
export function makeHours(
  active: Record<number, [incoming: number, missed: number, outgoing: number]>,
): HourFigures[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const [incoming, missed, outgoing] = active[hour] ?? [0, 0, 0];
    return {
      hour,
      incoming,
      incoming_missed: missed,
      missed_rate: incoming ? missed / incoming : 0,
      outgoing,
    };
  });
}

/** 09:00–18:00 busy, 13:00 lunch with no calls. */
export const WORKDAY_HOURS = makeHours({
  9: [30, 2, 10],
  10: [40, 3, 12],
  11: [35, 1, 10],
  12: [25, 1, 8],
  14: [30, 2, 12],
  15: [28, 1, 10],
  16: [22, 1, 9],
  17: [18, 1, 8],
  18: [12, 0, 6],
});

/** A `missed.call_first` entry for an 11-digit 7… number on no line, ringing nobody, rung 12 s, never tried. */
function callFirst(
  number: string,
  outcome: CallFirstEntry['outcome'],
  misses: number,
  first: string,
  last: string,
): CallFirstEntry {
  return {
    number,
    display: number,
    formatted: `+7 ${number.slice(1, 4)} ${number.slice(4, 7)}-${number.slice(7, 9)}-${number.slice(9)}`,
    outcome,
    misses,
    first_missed_at: first,
    last_missed_at: last,
    longest_ring_seconds: 12,
    attempts: outcome === 'callback_failed' ? 1 : 0,
    line: null,
    line_comment: null,
    employees: [],
  };
}

/** 2024-10-21: 240 incoming calls, 12 missed (5%), 3 nobody called back; no employees, no lines, no day before. */
export function makeSummary(over: Partial<Summary> = {}): Summary {
  return {
    period: {
      from: '2024-10-21',
      till: '2024-10-21',
      timezone: 'Europe/Moscow',
      partial: false,
      as_of: null,
    },
    generated_at: '2024-10-22T04:00:00.000Z',
    source: { report_id: 7, filter: null },
    settings: { sla_seconds: 20, short_call_seconds: 5, callback_horizon_hours: 24, working_hours: null },
    totals: makeTotals(),
    missed: {
      total: 12,
      numbers: 10,
      called_back: 7,
      client_called_again: 1,
      callback_failed: 1,
      unreturned: 3,
      callback_delay_buckets: { le_15m: 4, le_1h: 2, le_4h: 1, later: 0 },
      avg_callback_delay_seconds: 900,
      unreturned_numbers: ['74951110001', '74951110002'],
      call_first: [
        callFirst('74951110001', 'unreturned', 2, '2024-10-21 10:15:00', '2024-10-21 16:40:12'),
        callFirst('74951110002', 'unreturned', 1, '2024-10-21 12:03:45', '2024-10-21 12:03:45'),
        callFirst('74951110003', 'callback_failed', 1, '2024-10-21 17:20:00', '2024-10-21 17:20:00'),
      ],
    },
    employees: [],
    hours: WORKDAY_HOURS,
    lines: [],
    days: [makeDay()],
    week_hours: null,
    previous: null,
    ...over,
  };
}

/** The totals of a small day: 10 calls, 6 incoming, 2 of them missed. */
export function smallDayTotals(over: Partial<Totals> = {}): Totals {
  return makeTotals({
    calls: 10,
    internal: 1,
    incoming: 6,
    incoming_answered: 4,
    incoming_missed: 2,
    missed_rate: 2 / 6,
    short_missed: 1,
    outgoing: 3,
    outgoing_answered: 2,
    talk_seconds: 3725,
    avg_talk_seconds_incoming: 90,
    avg_talk_seconds_outgoing: null,
    avg_wait_seconds: 12,
    max_wait_seconds: 40,
    sla_seconds: 20,
    sla_rate: 0.5,
    incoming_in_hours: 6,
    incoming_missed_in_hours: 2,
    missed_rate_in_hours: 2 / 6,
    ...over,
  });
}

/**
 * 2025-03-01, a small day with a row of every kind: an employee and the
 * no-employee row, a line and a call on no line, a number nobody called back,
 * and the day before to compare with.
 */
export function smallDaySummary(over: Partial<Summary> = {}): Summary {
  return makeSummary({
    period: {
      from: '2025-03-01',
      till: '2025-03-01',
      timezone: 'Europe/Moscow',
      partial: false,
      as_of: null,
    },
    generated_at: '2025-03-02T03:04:05.000Z',
    source: { report_id: 42, filter: null },
    settings: { sla_seconds: 20, short_call_seconds: 5, callback_horizon_hours: 24, working_hours: null },
    totals: smallDayTotals(),
    missed: {
      total: 2,
      numbers: 2,
      called_back: 1,
      client_called_again: 0,
      callback_failed: 0,
      unreturned: 1,
      callback_delay_buckets: { le_15m: 1, le_1h: 0, le_4h: 0, later: 0 },
      avg_callback_delay_seconds: 600,
      unreturned_numbers: ['79990000002'],
      call_first: [
        {
          ...callFirst('79990000002', 'unreturned', 1, '2025-03-01 10:20:00', '2025-03-01 10:20:00'),
          line: '74951234567',
          line_comment: 'Основная линия',
          employees: ['Иванов Иван'],
        },
      ],
    },
    employees: [
      {
        name: 'Иванов Иван',
        incoming_answered: 3,
        outgoing: 2,
        outgoing_answered: 1,
        missed: 2,
        unreturned: 1,
        talk_seconds: 3000,
        avg_talk_seconds: 100,
        avg_wait_seconds: null,
        callbacks: 1,
      },
      {
        name: NO_EMPLOYEE,
        incoming_answered: 1,
        outgoing: 1,
        outgoing_answered: 1,
        missed: 0,
        unreturned: 0,
        talk_seconds: 725,
        avg_talk_seconds: 362,
        avg_wait_seconds: 4,
        callbacks: 0,
      },
    ],
    hours: makeHours({ 9: [4, 1, 0], 10: [2, 1, 0], 11: [0, 0, 3] }),
    lines: [
      {
        virtual_phone_number: '74951234567',
        virtual_number_comment: 'Основная линия',
        incoming: 6,
        incoming_missed: 2,
        missed_rate: 2 / 6,
        unreturned: 1,
      },
      {
        virtual_phone_number: null,
        virtual_number_comment: null,
        incoming: 0,
        incoming_missed: 0,
        missed_rate: 0,
        unreturned: 0,
      },
    ],
    days: [
      makeDay({
        date: '2025-03-01',
        incoming: 6,
        incoming_missed: 2,
        missed_rate: 2 / 6,
        unreturned: 1,
        outgoing: 3,
        avg_wait_seconds: 12,
        sla_rate: 0.5,
      }),
    ],
    previous: {
      period: { from: '2025-02-28', till: '2025-02-28', as_of: null },
      totals: smallDayTotals({ calls: 8, missed_rate: 0.25, avg_wait_seconds: 15 }),
      missed: {
        called_back: 1,
        client_called_again: 0,
        callback_failed: 0,
        unreturned: 1,
        call_first_count: 1,
      },
    },
    ...over,
  });
}
