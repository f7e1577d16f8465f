/** Hand-made calls for the figures' tests (every field a plain default) and `run`, the report made long after the period. */
import type { Call } from '../../../functions/shared/calls/call.ts';
import { normalisePhone } from '../../../functions/shared/calls/phone.ts';
import { CallTable } from '../../../functions/shared/calls/table.ts';
import { type SummariseInput, summarise } from '../../../functions/shared/report/figures/summarise.ts';
import { type Period, parseWall } from '../../../functions/shared/time.ts';
import { blankCall } from '../../support/calls.ts';

export const PERIOD: Period = { from: '2024-03-10', till: '2024-03-10', timezone: 'Europe/Moscow' };

/** Wall instant of `2024-03-10 hh:mm:ss` (or a full `YYYY-MM-DD hh:mm:ss`). */
export function w(text: string): number {
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

export function call(spec: CallSpec): Call {
  const { at, number = '+7 (900) 000-00-01', ...rest } = spec;
  return blankCall(nextId++, w(at), {
    contactNumber: number,
    contactNormal: normalisePhone(number),
    virtualNumber: '74950000000',
    totalSeconds: 30,
    ...rest,
  });
}

export const miss = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'in', lost: true, ...extra });
export const answeredIn = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'in', lost: false, ...extra });
export const answeredOut = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'out', lost: false, ...extra });
export const failedOut = (at: string, number?: string | null, extra: Partial<Call> = {}): Call =>
  call({ at, number, direction: 'out', lost: true, ...extra });

/**
 * The report made long after the period, so the horizon is the full 24 h; the
 * calls and the follow-ups go in tables, as the pipeline hands them over.
 */
export function run(
  calls: Call[],
  more: Partial<Omit<SummariseInput, 'calls' | 'followUps'>> & { followUps?: Call[] } = {},
) {
  const { followUps = [], ...rest } = more;
  return summarise({
    period: PERIOD,
    calls: CallTable.from(calls),
    followUps: CallTable.from(followUps),
    generatedAt: Date.UTC(2024, 2, 12, 3, 0, 0),
    nowWall: w('2024-03-12 06:00:00'),
    ...rest,
  });
}

export const A = '+7 900 111-11-11';
export const B = '8 (900) 222-22-22';
export const C = '9003333333';
export const D = '+7 900 444-44-44';
