/**
 * The emails the visual tests look at: a busy day as a head of sales gets it
 * (27 clients to call, long names and line comments, a foreign number and one
 * a phone cannot dial as given, every hour busy, a day to compare with), in
 * Russian and English; a month so far with working hours; a calm day; and the
 * email of a demo run (`npm start`'s command line on the built-in simulator).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main.ts';
import { buildEmail } from '../../functions/shared/report/email/build-email.ts';
import type { Language } from '../../functions/shared/report/i18n.ts';
import type { CallFirstEntry, Summary } from '../../functions/shared/report/types.ts';
import { client, withClients } from '../support/clients.ts';
import { previousDay } from '../support/previous.ts';
import { makeHours, makeTotals } from '../support/summaries.ts';

const NAMES = [
  'Попова Екатерина',
  'Волков Михаил',
  'Константинопольский Вячеслав',
  'Лебедева Анна-Мария',
  'Соколов Александр',
];
const COMMENTS = ['Реклама в Яндексе — Москва и Московская область', 'Отдел продаж', null];

/** 27 clients in the contract's order: four who called several times, 19 once, then four we tried. */
function busyClients(): CallFirstEntry[] {
  return Array.from({ length: 27 }, (_, k) => {
    const i = k + 1;
    const failed = i > 23;
    const over: Partial<CallFirstEntry> = {
      outcome: failed ? 'callback_failed' : 'unreturned',
      misses: i <= 4 ? 6 - i : 1,
      attempts: failed ? i - 22 : 0,
      line: '74959473048',
      line_comment: COMMENTS[i % 3] ?? null,
      employees: NAMES.slice(0, i % 6),
    };
    if (i === 7) Object.assign(over, { number: '380501234567', formatted: '+380 50 123 4567' });
    if (i === 8) Object.assign(over, { number: '4951234567', formatted: '(495) 123-45-67' });
    return client(i, over);
  });
}

const BUSY_HOURS = makeHours(
  Object.fromEntries(
    Array.from({ length: 24 }, (_, h) => [h, [h < 8 || h > 20 ? 6 : 90, h < 8 || h > 20 ? 3 : 5, 40]]),
  ) as Record<number, [number, number, number]>,
);

/** 2024-10-21: 1 240 incoming, 96 missed, 27 clients to call, compared with the Monday before. */
export function busyDay(over: Partial<Summary> = {}): Summary {
  return withClients(busyClients(), {
    totals: makeTotals({
      calls: 1_790,
      incoming: 1_240,
      incoming_answered: 1_144,
      incoming_missed: 96,
      missed_rate: 96 / 1_240,
      outgoing: 960,
      outgoing_answered: 702,
      talk_seconds: 301_234,
      incoming_in_hours: 1_090,
      incoming_missed_in_hours: 71,
      missed_rate_in_hours: 71 / 1_090,
    }),
    hours: BUSY_HOURS,
    previous: previousDay(
      '2024-10-14',
      makeTotals({ incoming: 1_020, incoming_missed: 88, missed_rate: 88 / 1_020, sla_rate: 0.92 }),
    ),
    ...over,
  });
}

/** October so far (as of the 15th, 13:05) with working hours: the headline is the in-hours rate. */
export function monthSoFar(): Summary {
  return busyDay({
    period: {
      from: '2024-10-01',
      till: '2024-10-31',
      timezone: 'Europe/Moscow',
      partial: true,
      as_of: '2024-10-15 13:05:00',
    },
    settings: {
      sla_seconds: 20,
      short_call_seconds: 5,
      callback_horizon_hours: 24,
      working_hours: 'mon-fri 09:00-19:00; sat 10:00-16:00',
    },
    previous: null,
  });
}

const LINK =
  'https://reports.example.com/v1/download/eyJrIjoiY2FsbHMvMjAyNC0xMC0yMSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

export function emailOf(summary: Summary, language: Language): string {
  return buildEmail({ summary, language, link: LINK, linkExpiresAt: '2024-11-20T09:00:00.000Z' }).html;
}

/** The HTML email of a demo run for 2026-11-26 (the CLI without a token, on the simulator). */
export async function demoEmail(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'visual-demo-'));
  try {
    const quiet = { write: () => true };
    const code = await runCli(
      ['--date', '2026-11-26', '--out', dir],
      {},
      {
        stdout: quiet,
        stderr: quiet,
        clock: { now: () => Date.UTC(2026, 10, 27, 5, 0) },
      },
    );
    if (code !== 0) throw new Error(`the demo run exited with ${code}`);
    const outbox = join(dir, 'outbox');
    const html = (await readdir(outbox)).find((f) => f.endsWith('.html'));
    if (!html) throw new Error('the demo run wrote no HTML email');
    return await readFile(join(outbox, html), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
