/**
 * Where a report is kept: its subscription, period, `as_of` when partial, and
 * its variant, which tells apart reports of one period that differ in what a
 * person reads: the language (when not the default) and the settings (when not
 * the defaults: working hours, SLA, short call, follow-up horizon). Without it
 * the ru and en reports of one day, or a day's daily report and one asked for
 * with other working hours, would overwrite each other's files.
 *
 * The variant is `<language>` and/or `s-<8 hex>` (the first 8 hex digits of
 * the SHA-256 of the settings' canonical JSON), joined by `_`; the default
 * report (ru, default settings) has none, so its keys are those it always had.
 * The like period's stored report is looked up under the same variant
 * (comparison.ts), so only a report of the same language and settings is reused.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_LANGUAGE, type Language } from '../language.ts';
import { DEFAULT_SETTINGS, type ReportSettings } from '../report/types.ts';
import { formatWall } from '../time.ts';
import type { ReportLocation } from './ports.ts';

/** What a variant may look like (the adapters check it before it reaches a key). */
export const VARIANT_RE = /^[a-z]{2}(_s-[0-9a-f]{8})?$|^s-[0-9a-f]{8}$/;

const SETTING_KEYS = [
  'sla_seconds',
  'short_call_seconds',
  'callback_horizon_hours',
  'working_hours',
] as const;

/** The settings' canonical JSON: every key, in one order. */
function canonical(settings: ReportSettings): string {
  return JSON.stringify(SETTING_KEYS.map((k) => [k, settings[k] ?? null]));
}

/** The variant of a report in `language` made with `settings` (resolved: settings.ts), or null for the default report. */
export function reportVariant(language: Language, settings: ReportSettings): string | null {
  const parts: string[] = [];
  if (language !== DEFAULT_LANGUAGE) parts.push(language);
  if (canonical(settings) !== canonical(DEFAULT_SETTINGS)) {
    parts.push(`s-${createHash('sha256').update(canonical(settings)).digest('hex').slice(0, 8)}`);
  }
  return parts.length === 0 ? null : parts.join('_');
}

/** The report's location: `asOf` on the wall clock when partial (else null). */
export function reportLocation(
  subscription: string,
  period: ReportLocation['period'],
  asOf: number | null,
  variant: string | null,
): ReportLocation {
  return { subscription, period, as_of: asOf === null ? null : formatWall(asOf), variant };
}

/** `_<variant>` for a key or file name, `` for the default report; throws on a variant of another shape. */
export function variantSuffix(variant: string | null | undefined): string {
  if (variant === null || variant === undefined) return '';
  if (!VARIANT_RE.test(variant)) throw new RangeError(`Bad report variant "${variant}"`);
  return `_${variant}`;
}
