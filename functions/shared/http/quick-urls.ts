/**
 * Where quick links go and which the email carries: the quick route's URL
 * beside the download route's, and one quick link per period rule a daily
 * report's reader asks for next, each signed for the subscription's TTL.
 */
import type { Language } from '../language.ts';
import type { KeyRing } from './key-ring.ts';
import { type LinkSettings, quickLinkFor } from './link-urls.ts';
import type { PeriodRule } from './period-rules.ts';

/** The quick route's URL up to the token, from the download route's (`…/v1/download/` → `…/v1/q/`). */
export function quickBaseUrl(downloadBaseUrl: string): string {
  if (!downloadBaseUrl.endsWith('/download/'))
    throw new RangeError(`Not a download route URL: ${downloadBaseUrl}`);
  return `${downloadBaseUrl.slice(0, -'download/'.length)}q/`;
}

/** The quick links under the email's button: the weeks and months a daily report's reader asks for next. */
export const EMAIL_QUICK_RULES: readonly PeriodRule[] = [
  'this_week',
  'last_week',
  'this_month',
  'last_month',
];

/** The email's quick links of a subscription, in the report's language, each valid for the subscription's TTL. */
export function emailQuickLinks(
  subscription: { id: string; link_ttl_days?: number | undefined },
  language: Language,
  settings: LinkSettings,
  ring: KeyRing,
  now: number,
): Array<{ rule: PeriodRule; href: string }> {
  // A deployment whose links do not go to the download route (the command line's files) has no quick route.
  if (!settings.baseUrl.endsWith('/download/')) return [];
  const base = quickBaseUrl(settings.baseUrl);
  return EMAIL_QUICK_RULES.map((rule) => ({
    rule,
    href: quickLinkFor({ rule, language }, subscription, settings, base, ring, now).url,
  }));
}
