/**
 * What a report fetches: its period and the latest follow-up horizon any of its
 * missed calls can have (the effective start of its last second + the horizon
 * hours), never past now; and the settings it is made with.
 */
import { describe, expect, it } from 'vitest';
import { fetchRange } from '../../functions/shared/pipeline/fetch-range.ts';
import { reportSettings } from '../../functions/shared/pipeline/settings.ts';
import { WorkingHoursError } from '../../functions/shared/working-hours/parse.ts';
import { wall } from '../support/calls.ts';

const day = (d: string) => ({ from: d, till: d, timezone: 'Europe/Moscow' });
const LATER = wall('2030-01-01 00:00:00');
const range = (from: string, till: string) => ({ from: wall(from), till: wall(till) });
const hours = (working_hours: string | null, callback_horizon_hours = 24) => ({
  working_hours,
  callback_horizon_hours,
});

describe('fetchRange', () => {
  it('without working hours reaches the period end + the horizon hours', () => {
    expect(fetchRange(day('2024-10-18'), hours(null), LATER)).toEqual(
      range('2024-10-18 00:00:00', '2024-10-19 23:59:59'),
    );
    expect(
      fetchRange({ from: '2024-10-01', till: '2024-10-31', timezone: 'UTC' }, hours(null, 2), LATER),
    ).toEqual(range('2024-10-01 00:00:00', '2024-11-01 01:59:59'));
  });

  it('reaches the next opening after a Friday + 24 h with mon-fri hours: Tuesday 09:00', () => {
    expect(fetchRange(day('2024-10-18'), hours('mon-fri 09:00-19:00'), LATER)).toEqual(
      range('2024-10-18 00:00:00', '2024-10-22 09:00:00'),
    );
    // A closed Monday moves it a day further.
    expect(fetchRange(day('2024-10-18'), hours('mon-fri 09:00-19:00; closed 2024-10-21'), LATER)).toEqual(
      range('2024-10-18 00:00:00', '2024-10-23 09:00:00'),
    );
  });

  it('takes the period end itself when it is in hours (open until 24:00)', () => {
    expect(fetchRange(day('2024-10-18'), hours('mon-sun 08:00-24:00'), LATER)).toEqual(
      range('2024-10-18 00:00:00', '2024-10-19 23:59:59'),
    );
  });

  it('never reaches past now, and a partial period ends at now', () => {
    const now = wall('2024-10-21 08:00:00');
    expect(fetchRange(day('2024-10-18'), hours('mon-fri 09:00-19:00'), now)).toEqual(
      range('2024-10-18 00:00:00', '2024-10-21 08:00:00'),
    );
    const today = wall('2024-10-21 11:00:00');
    expect(fetchRange(day('2024-10-21'), hours(null), today)).toEqual(
      range('2024-10-21 00:00:00', '2024-10-21 11:00:00'),
    );
  });

  it('reaches now when no opening lies within the 400 days searched', () => {
    const now = wall('2025-06-01 12:00:00');
    expect(
      fetchRange(day('2024-10-18'), hours('mon 09:00-10:00; closed 2024-10-19..2026-01-01'), now),
    ).toEqual(range('2024-10-18 00:00:00', '2025-06-01 12:00:00'));
  });
});

describe('reportSettings', () => {
  it('gives every key, the defaults for those not given, and the working hours in their normal form', () => {
    expect(reportSettings(undefined)).toEqual({
      sla_seconds: 20,
      short_call_seconds: 5,
      callback_horizon_hours: 24,
      working_hours: null,
    });
    expect(
      reportSettings({ sla_seconds: 30, working_hours: 'Sat 10:00-16:00; mon-FRI 9:00-19:00;' }),
    ).toEqual({
      sla_seconds: 30,
      short_call_seconds: 5,
      callback_horizon_hours: 24,
      working_hours: 'mon-fri 09:00-19:00; sat 10:00-16:00',
    });
    expect(reportSettings({ sla_seconds: undefined, working_hours: '' }).working_hours).toBeNull();
  });

  it('refuses working hours the grammar refuses, with the parser’s error', () => {
    expect(() => reportSettings({ working_hours: 'fri-mon 09:00-18:00' })).toThrow(WorkingHoursError);
  });
});
