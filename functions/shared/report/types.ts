/**
 * The summary JSON: the figures of report-metrics.md, one document that the
 * XLSX, the email and the API all read. Keys are snake_case as the contract says.
 * Seconds are whole numbers (means rounded half up); rates are unrounded fractions.
 */
import type { Call } from '../calls/call.ts';
import type { Period } from '../time.ts';

export interface ReportSettings {
  /** Service-level threshold for the wait, seconds (default 20). */
  sla_seconds: number;
  /** A missed call whose total duration is at most this is "short" (default 5). */
  short_call_seconds: number;
  /** How long after a missed call's effective start a callback still counts, hours (default 24). */
  callback_horizon_hours: number;
  /** The working hours in their normal text form (working-hours/format.ts), or null: always open. */
  working_hours: string | null;
}

export const DEFAULT_SETTINGS: Readonly<ReportSettings> = Object.freeze({
  sla_seconds: 20,
  short_call_seconds: 5,
  callback_horizon_hours: 24,
  working_hours: null,
});

export interface Totals {
  calls: number;
  internal: number;
  incoming: number;
  incoming_answered: number;
  incoming_missed: number;
  missed_rate: number;
  short_missed: number;
  outgoing: number;
  outgoing_answered: number;
  talk_seconds: number;
  avg_talk_seconds_incoming: number | null;
  avg_talk_seconds_outgoing: number | null;
  avg_wait_seconds: number | null;
  max_wait_seconds: number | null;
  sla_seconds: number;
  sla_rate: number;
  /** Incoming external calls that started in working hours (= `incoming` with no working hours). */
  incoming_in_hours: number;
  /** Those of them that were lost (= `incoming_missed` with no working hours). */
  incoming_missed_in_hours: number;
  /** `incoming_missed_in_hours / incoming_in_hours`, 0 when none (= `missed_rate` with no working hours). */
  missed_rate_in_hours: number;
}

export type Outcome = 'called_back' | 'client_called_again' | 'callback_failed' | 'unreturned';

export interface CallbackDelayBuckets {
  le_15m: number;
  le_1h: number;
  le_4h: number;
  later: number;
}

export interface MissedFigures {
  total: number;
  numbers: number;
  called_back: number;
  client_called_again: number;
  callback_failed: number;
  unreturned: number;
  callback_delay_buckets: CallbackDelayBuckets;
  avg_callback_delay_seconds: number | null;
  unreturned_numbers: string[];
  /** The clients to call now, in the order to call them (docs/metrics.md, "Call these first"). */
  call_first: CallFirstEntry[];
}

/** One client of `missed.call_first`: a number whose latest missed call in the period was not resolved. */
export interface CallFirstEntry {
  /** Normal form. */
  number: string;
  /** As the API gave it on the latest miss. */
  display: string;
  /** For reading: `+7 XXX XXX-XX-XX` for an 11-digit normal number starting with 7, else `display`. */
  formatted: string;
  /** Of the latest miss. */
  outcome: 'unreturned' | 'callback_failed';
  /** Missed calls from the number in the period, resolved or not. */
  misses: number;
  /** Local `YYYY-MM-DD hh:mm:ss` of the first and of the latest miss. */
  first_missed_at: string;
  last_missed_at: string;
  /** The largest `call_total_duration` of the number's misses in the period; null when none has one. */
  longest_ring_seconds: number | null;
  /** Outgoing attempts to the number in the latest miss's horizon. */
  attempts: number;
  /** `virtual_phone_number` of the latest miss, and its comment (null when none). */
  line: string | null;
  line_comment: string | null;
  /** The names the latest miss rang (`[]` when none). */
  employees: string[];
}

export interface EmployeeFigures {
  name: string;
  incoming_answered: number;
  outgoing: number;
  outgoing_answered: number;
  missed: number;
  /** Missed calls that rang this employee and ended `unreturned`. */
  unreturned: number;
  talk_seconds: number;
  avg_talk_seconds: number | null;
  avg_wait_seconds: number | null;
  callbacks: number;
}

export interface HourFigures {
  hour: number;
  incoming: number;
  incoming_missed: number;
  missed_rate: number;
  outgoing: number;
}

export interface LineFigures {
  virtual_phone_number: string | null;
  virtual_number_comment: string | null;
  incoming: number;
  incoming_missed: number;
  missed_rate: number;
  unreturned: number;
}

/** One local date of the period (`days`); after `as_of` of a partial period: zero counts, null rates and means. */
export interface DayFigures {
  /** `YYYY-MM-DD`. */
  date: string;
  incoming: number;
  incoming_missed: number;
  missed_rate: number | null;
  /** Missed calls that started that day and ended unreturned. */
  unreturned: number;
  outgoing: number;
  avg_wait_seconds: number | null;
  sla_rate: number | null;
}

/** One weekday × hour cell of a multi-day report (`week_hours`). */
export interface WeekHourFigures {
  /** 1..7, Monday = 1. */
  weekday: number;
  /** 0..23, of the call's local start. */
  hour: number;
  incoming: number;
  incoming_missed: number;
}

/** The report's period as the summary gives it: whole, or partial up to `as_of`. */
export interface SummaryPeriod extends Period {
  /** True when the period ends after the moment the report was made (it includes today). */
  partial: boolean;
  /** That moment, local `YYYY-MM-DD hh:mm:ss`, when partial; else null. */
  as_of: string | null;
}

export interface Summary {
  period: SummaryPeriod;
  /** ISO 8601 instant (UTC) when the report was made. */
  generated_at: string;
  source: {
    report_id: number | null;
    filter: unknown;
    /**
     * Rows the API sent twice (data-api.md: a call can come as two rows, its id
     * once a number, once a string); each such call is counted once in the
     * figures. Absent in summaries made before it was counted.
     */
    duplicate_rows?: number;
  };
  settings: ReportSettings;
  totals: Totals;
  missed: MissedFigures;
  employees: EmployeeFigures[];
  hours: HourFigures[];
  lines: LineFigures[];
  /** One entry per local date of the period, in order. */
  days: DayFigures[];
  /** 7 × 24 cells, Monday 00 first, for a multi-day report; null for one day. */
  week_hours: WeekHourFigures[] | null;
  /** The like period's figures to compare with (report-metrics.md, "Comparison"), or null. */
  previous: Previous | null;
}

/** The like period a report is compared with, and the figures of it a comparison shows. */
export interface Previous {
  /** `as_of` is where a partial report's like period was cut (local `YYYY-MM-DD hh:mm:ss`), else null. */
  period: { from: string; till: string; as_of: string | null };
  totals: Totals;
  missed: {
    called_back: number;
    client_called_again: number;
    callback_failed: number;
    unreturned: number;
    /** Entries of its `missed.call_first`: the clients that were left to call. */
    call_first_count: number;
  };
}

/** What became of one missed incoming external call (one row of the "Missed calls" sheet). */
export interface MissedCallResolution {
  call: Call;
  outcome: Outcome;
  /** How many missed incoming external calls this normal number had in the period. */
  times_missed_in_period: number;
  /** The call that resolved it (called_back / client_called_again), or null. */
  resolved_by: Call | null;
  /** resolved_by.start - the miss's effective start, seconds, never below 0; null when unresolved. */
  delay_seconds: number | null;
  /** Who made the callback (called_back only): received_call or first employee. */
  callback_employee: string | null;
  /**
   * Outgoing attempts to the number after the miss, up to the resolving call
   * (included) or, unresolved, to the miss's horizon (callback_failed counts them).
   */
  attempts: number;
}
