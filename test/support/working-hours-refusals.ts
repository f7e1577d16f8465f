/**
 * The working-hours texts every boundary refuses (issue 13, "Must show": the
 * grammar's refusals at the CLI, the API and synth), each with the exact line
 * of the one parser (working-hours/parse.ts). Each boundary puts its own name
 * of the field before it: `--working-hours: `, `working_hours: `,
 * `subscriptions[0].working_hours: `.
 */
export const WORKING_HOURS_REFUSALS: ReadonlyArray<readonly [what: string, text: string, message: string]> = [
  [
    'a day range that wraps (fri-mon)',
    'fri-mon 09:00-18:00',
    'working hours: "fri-mon 09:00-18:00": the day range fri-mon wraps past sunday: a range runs forward, mon to sun (write fri-sun,mon)',
  ],
  [
    'a time past 24:00 (25:00)',
    'mon 09:00-25:00',
    'working hours: "mon 09:00-25:00": 25:00 is not a time: write H:MM or HH:MM from 0:00 to 23:59, or 24:00 as an end',
  ],
  [
    'a range that ends before it starts (19:00-09:00)',
    'mon 19:00-09:00',
    'working hours: "mon 19:00-09:00": the range 19:00-09:00 ends before it starts: the end must be after the start; a night shift is two parts (mon 19:00-24:00; tue 00:00-09:00)',
  ],
  [
    'an empty range (09:00-09:00)',
    'mon 09:00-09:00',
    'working hours: "mon 09:00-09:00": the range 09:00-09:00 is empty: the end must be after the start (the start is included, the end is not)',
  ],
  [
    'a closed date that does not exist (2026-02-30)',
    'closed 2026-02-30',
    'working hours: "closed 2026-02-30": 2026-02-30 is not a date: write a real calendar date as YYYY-MM-DD, a range as a..b, several joined by "," (closed 2026-01-01..2026-01-08, 2026-03-09)',
  ],
  [
    'an unknown word',
    'mon-fri 09:00-18:00; lunch 13:00-14:00',
    'working hours: "lunch 13:00-14:00": unknown word "lunch": a part is days and times (mon-fri 09:00-18:00; days: mon tue wed thu fri sat sun) or closed and dates (closed 2026-01-01..2026-01-08)',
  ],
  [
    'a day with no times',
    'mon-fri 09:00-18:00; sat',
    'working hours: "sat": no times after the days: write the hours after them as H:MM-HH:MM (sat 09:00-18:00)',
  ],
];
