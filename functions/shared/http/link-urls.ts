/**
 * Links as URLs: a route's URL with a token of links.ts, valid for the
 * subscription's TTL (its `link_ttl_days`, else the deployment's
 * `LINK_TTL_DAYS`, 14 by default: a forwarded email should not open clients'
 * numbers for a month).
 */
import type { Language } from '../language.ts';
import type { KeyRing } from './key-ring.ts';
import { newTokenId, type QuickLinkInput, signQuickLink, signReportLink } from './links.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Where our routes are and how long links work by default (the stack's `DOWNLOAD_BASE_URL`, `LINK_TTL_DAYS`). */
export interface LinkSettings {
  /** The download route's URL up to the token, ending in `/download/`. */
  baseUrl: string;
  /** The deployment's default; a subscription's `link_ttl_days` wins. */
  ttlDays: number;
}

/** The link settings of a function's configuration. */
export function linkSettings(config: { DOWNLOAD_BASE_URL: string; LINK_TTL_DAYS: number }): LinkSettings {
  return { baseUrl: config.DOWNLOAD_BASE_URL, ttlDays: config.LINK_TTL_DAYS };
}

/** How long a subscription's links work: its own `link_ttl_days`, else the deployment's. */
export function linkTtlDays(
  subscription: { link_ttl_days?: number | undefined },
  settings: LinkSettings,
): number {
  return subscription.link_ttl_days ?? settings.ttlDays;
}

export interface MintedLink {
  url: string;
  /** ISO instant. */
  expiresAt: string;
  /** The token id (for revocation and logs). */
  id: string;
}

/**
 * The one way a workbook link is made, for the email and for the API alike:
 * the download route's URL with a report token for `key`, valid for the
 * subscription's TTL from the real instant `now`.
 */
export function linkFor(
  key: string,
  subscription: { id: string; link_ttl_days?: number | undefined },
  settings: LinkSettings,
  ring: KeyRing,
  now: number,
  language?: Language | null,
): MintedLink {
  const expiresAt = now + linkTtlDays(subscription, settings) * 86_400_000;
  const id = newTokenId();
  const token = signReportLink(
    { key, subscription: subscription.id, language: language ?? null, expiresAt, id },
    ring,
    now,
  );
  return {
    url: `${settings.baseUrl}${token}`,
    expiresAt: new Date(seconds(expiresAt) * 1000).toISOString(),
    id,
  };
}

/**
 * A quick link: `baseUrl` (the quick-link route's URL up to the token) with a
 * quick token for the subscription's `rule`, valid for its TTL from `now`.
 */
export function quickLinkFor(
  input: Omit<QuickLinkInput, 'expiresAt' | 'id' | 'subscription'>,
  subscription: { id: string; link_ttl_days?: number | undefined },
  settings: LinkSettings,
  baseUrl: string,
  ring: KeyRing,
  now: number,
): MintedLink {
  const expiresAt = now + linkTtlDays(subscription, settings) * 86_400_000;
  const id = newTokenId();
  const token = signQuickLink({ ...input, subscription: subscription.id, expiresAt, id }, ring, now);
  return { url: `${baseUrl}${token}`, expiresAt: new Date(seconds(expiresAt) * 1000).toISOString(), id };
}
