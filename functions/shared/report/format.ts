/**
 * How the report writes values for people: numbers, percentages, durations,
 * counts with their noun, days, periods and clock times, and the workbook's
 * file name with its ASCII fallback. The words come from `i18n.ts`; the forms
 * live here, so the email, the workbook and the download page all write a
 * figure the same way.
 */
import { DEFAULT_LANGUAGE } from '../language.ts';
import { formatWallDate, type Period, parseWall, toWall } from '../time.ts';
import type { Dictionary, Language } from './i18n.ts';
import { fill } from './i18n.ts';

// ---------------------------------------------------------------------------
// Numbers

const integerFormats = { ru: new Intl.NumberFormat('ru-RU'), en: new Intl.NumberFormat('en-US') } as const;
const decimalFormats = {
  ru: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }),
} as const;

/** A whole number with the language's grouping: ru `12 400` (no-break space), en `12,400`. */
export function integer(n: number, lang: Language): string {
  return integerFormats[lang].format(n);
}

/** A number with at most one decimal: ru `1,5`, en `1.5`. */
export function decimal(n: number, lang: Language): string {
  return decimalFormats[lang].format(n);
}

/** A rate as a whole percentage that never says 0% or 100% when it is not: `<1%`, `>99%`. */
export function percent(rate: number): string {
  if (rate > 0 && rate < 0.01) return '<1%';
  if (rate > 0.99 && rate < 1) return '>99%';
  return `${Math.round(rate * 100)}%`;
}

/** Percentage points, one decimal, unsigned: `1,5 п.п.`, `2 pp`. */
export function percentPoints(points: number, dict: Dictionary, lang: Language): string {
  return `${decimal(Math.abs(points), lang)} ${dict.units.points}`;
}

const MINUS = '\u2212';

/** A change with its sign in front of its shown size: `+3`, `−2 п.п.` (a true minus sign). */
export function signed(delta: number, shown: string): string {
  return `${delta > 0 ? '+' : MINUS}${shown}`;
}

// ---------------------------------------------------------------------------
// Counts with their noun

/** The four `Intl.PluralRules` categories a language uses for a noun (`en` uses `one` and `other`). */
export type PluralForms = Readonly<Record<'one' | 'few' | 'many' | 'other', string>>;

const pluralRules = { ru: new Intl.PluralRules('ru'), en: new Intl.PluralRules('en') } as const;

/** The noun form for a count, by `Intl.PluralRules`: ru 1 звонок, 3 звонка, 5 звонков, 21 звонок. */
export function pluralForm(n: number, forms: PluralForms, lang: Language): string {
  const category = pluralRules[lang].select(n);
  return category === 'one' || category === 'few' || category === 'many' ? forms[category] : forms.other;
}

/** A count with its noun: `3 звонка`, `5 звонков`, `1 call`, `12 400 звонков`. */
export function countOf(n: number, forms: PluralForms, lang: Language): string {
  return `${integer(n, lang)} ${pluralForm(n, forms, lang)}`;
}

/** At most `max` names, then `+N`: `А, Б, В +2`. */
export function shortList(names: readonly string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} +${names.length - max}`;
}

// ---------------------------------------------------------------------------
// Durations

/** A duration for people, rounded to whole seconds, sign dropped: `25 с`, `4 мин 5 с`, `18 ч 45 мин`. */
export function humanDuration(seconds: number, dict: Dictionary, lang: Language): string {
  const u = dict.email.duration;
  const total = Math.round(Math.abs(seconds));
  if (total < 60) return `${total} ${u.seconds}`;
  if (total < 3600) {
    const m = Math.floor(total / 60);
    const s = total % 60;
    return s ? `${m} ${u.minutes} ${s} ${u.seconds}` : `${m} ${u.minutes}`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return m ? `${integer(h, lang)} ${u.hours} ${m} ${u.minutes}` : `${integer(h, lang)} ${u.hours}`;
}

// ---------------------------------------------------------------------------
// Days, periods, clock times

/**
 * The one date form of each language, for the email and the workbook alike, as
 * Excel number formats (`date` a day, `minute` and `datetime` a day and its
 * time to the minute and to the second; `formatDay` writes text by the same pattern): ru
 * `21.10.2024`; en `2024-10-21`, ISO 8601, because `10/21/2024` and
 * `21/10/2024` each mislead half of the English-reading world and `yyyy-mm-dd`
 * needs no month names, which Excel would write in the reader's own locale.
 */
export const DATE_FORMATS: Readonly<
  Record<Language, Readonly<{ date: string; minute: string; datetime: string }>>
> = Object.freeze({
  ru: Object.freeze({ date: 'dd.mm.yyyy', minute: 'dd.mm.yyyy hh:mm', datetime: 'dd.mm.yyyy hh:mm:ss' }),
  en: Object.freeze({ date: 'yyyy-mm-dd', minute: 'yyyy-mm-dd hh:mm', datetime: 'yyyy-mm-dd hh:mm:ss' }),
});

/** `YYYY-MM-DD` as a person of the language writes it (DATE_FORMATS): ru `21.10.2024`, en `2024-10-21`. */
export function formatDay(day: string, lang: Language): string {
  const [y = '', m = '', d = ''] = day.split('-');
  return DATE_FORMATS[lang].date.replace(/yyyy|mm|dd/g, (t) => (t === 'yyyy' ? y : t === 'mm' ? m : d));
}

/** `HH:MM` of a wall instant (ms "as if UTC"). */
export function clock(wall: number): string {
  return new Date(wall).toISOString().slice(11, 16);
}

/** The day and clock time of a wall instant: ru `21.10.2024 09:05`, en `2024-10-21 09:05`. */
export function formatDayTime(wall: number, lang: Language): string {
  return `${formatDay(formatWallDate(wall), lang)} ${clock(wall)}`;
}

/** The start of an hour of the day: `09:00`. */
export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** A period as a phrase: ru `за 21.10.2024`, `за 01.10.2024–31.10.2024`; en `on 2024-10-21`, `for …–…`. */
export function formatPeriod(
  period: Pick<Period, 'from' | 'till'>,
  dict: Dictionary,
  lang: Language,
): string {
  return period.from === period.till
    ? fill(dict.email.periodDay, { day: formatDay(period.from, lang) })
    : fill(dict.email.periodRange, {
        from: formatDay(period.from, lang),
        till: formatDay(period.till, lang),
      });
}

/** A report's period: whole, or partial up to `as_of` (absent in summaries made before it was kept). */
export interface ReportPeriod extends Period {
  partial?: boolean;
  as_of?: string | null;
}

/**
 * When a partial report's figures stop: its `as_of` as `HH:MM` for one day,
 * with the date for several (ru `13:05`, `15.12.2024 13:05`); null for a whole period.
 */
export function asOfText(period: ReportPeriod, lang: Language): string | null {
  const wall = period.partial && period.as_of ? parseWall(period.as_of) : null;
  if (wall === null) return null;
  return period.from === period.till ? clock(wall) : formatDayTime(wall, lang);
}

/**
 * The period as a phrase, saying "so far" of a partial one: ru `за 21.10.2024
 * (пока, на 13:05)`, en `on 2024-10-21 (so far, as of 13:05)`; a whole period as `formatPeriod`.
 */
export function formatReportPeriod(period: ReportPeriod, dict: Dictionary, lang: Language): string {
  const phrase = formatPeriod(period, dict, lang);
  const at = asOfText(period, lang);
  return at === null ? phrase : fill(dict.time.soFar, { period: phrase, at });
}

// ---------------------------------------------------------------------------
// Time zones

/**
 * The report's time zone in words: ru `по московскому времени`, en `Moscow
 * time`; a zone the dictionary has no name for by its IANA id
 * (`по часовому поясу Asia/Dubai`, `Asia/Dubai time`).
 */
export function zoneInWords(zone: string, dict: Dictionary): string {
  const named: Readonly<Record<string, string>> = dict.time.zones;
  return Object.hasOwn(named, zone) ? (named[zone] as string) : fill(dict.time.otherZone, { zone });
}

// ---------------------------------------------------------------------------
// Phone links

/**
 * The `tel:` URI of a client's normal number (calls/phone.ts): `tel:+79161234567`
 * for 11 to 15 digits (a number with its country code, E.164's longest);
 * null for anything shorter, which may be a local or short number that `+`
 * would turn into another country's.
 */
export function telUri(normal: string | null | undefined): string | null {
  return normal != null && /^[1-9]\d{10,14}$/.test(normal) ? `tel:+${normal}` : null;
}

/** The wall instant in `timezone` of an ISO instant; null when there is none or it is not a date. */
export function wallInZone(iso: string | undefined, timezone: string): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : toWall(ms, timezone);
}

/** The `YYYY-MM-DD` in `timezone` of an ISO instant; null when there is none or it is not a date. */
export function dayInZone(iso: string | undefined, timezone: string): string | null {
  const wall = wallInZone(iso, timezone);
  return wall === null ? null : formatWallDate(wall);
}

// ---------------------------------------------------------------------------
// The workbook's file name

const WORKBOOK_NAME: Readonly<Record<Language, string>> = { ru: 'Звонки', en: 'Calls' };

/**
 * The name a person sees for the workbook, in S3's download and the email's
 * attachment alike: `Звонки 2024-10-21.xlsx`, `Calls 2024-10-01_2024-10-31 (en).xlsx`.
 * A language other than the default is said in the name, so the two reports
 * of one day never share one.
 */
export function workbookFileName(period: Period, language: Language): string {
  const span = period.from === period.till ? period.from : `${period.from}_${period.till}`;
  const tag = language === DEFAULT_LANGUAGE ? '' : ` (${language})`;
  return `${WORKBOOK_NAME[language]} ${span}${tag}.xlsx`;
}

/**
 * The file name in printable ASCII, for clients that ignore `filename*`:
 * Russian transliterated (`Звонки 2024-10-21.xlsx` → `Zvonki 2024-10-21.xlsx`),
 * anything else outside printable ASCII (line breaks too), and `"` `\`, as `_`;
 * `report.xlsx` when nothing is left.
 */
export function asciiFileName(fileName: string): string {
  const ascii = transliterate(fileName).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return ascii.trim() === '' ? 'report.xlsx' : ascii;
}

/**
 * `filename="<ASCII>"; filename*=UTF-8''<percent-encoded UTF-8>` (RFC 6266 /
 * RFC 8187): the one way the workbook's name goes into a Content-Disposition,
 * in S3 and in the email's attachment alike.
 */
export function contentDispositionFileName(fileName: string): string {
  return `filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

/** Percent-encodes everything but RFC 8187 attr-chars. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// Russian → Latin, a simplified BGN/PCGN without diacritics (ё → e, й → y, ъ ь dropped).
const TRANSLIT: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Russian letters in Latin ones, capitals kept (`Щука` → `Shchuka`); everything else as it is. */
export function transliterate(text: string): string {
  return text.replace(/[а-яё]/gi, (ch) => {
    const lower = ch.toLowerCase();
    const latin = TRANSLIT[lower] ?? '_';
    return ch === lower || latin === '' ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
  });
}
