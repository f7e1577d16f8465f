/**
 * Links that last: the email carries a link to our download route, not to S3.
 * The token holds the object key and an expiry, signed with HMAC-SHA256 under a
 * secret key; the download route checks it (in constant time) and redirects to
 * a freshly presigned S3 URL valid for minutes. A presigned URL made in the
 * mailing Lambda would die with the role's session, whatever its expiry said.
 *
 * Token: `base64url(JSON {k: key, e: expiry seconds since epoch}) "." base64url(HMAC)`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkClaims {
  key: string;
  /** Expiry, ms since epoch (UTC). */
  expiresAt: number;
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'tampered' | 'expired'; expiresAt?: number };

function mac(secret: string | Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

export function signLink(claims: LinkClaims, secret: string | Buffer): string {
  if (!secret || secret.length < 16) throw new Error('The link-signing key must be at least 16 bytes');
  const payload = Buffer.from(
    JSON.stringify({ k: claims.key, e: Math.floor(claims.expiresAt / 1000) }),
  ).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** Where our download route is and how long its links work (the stack's `DOWNLOAD_BASE_URL`, `LINK_TTL_DAYS`). */
export interface LinkSettings {
  /** The route's URL up to the token, ending in `/download/`. */
  baseUrl: string;
  ttlDays: number;
}

/** The link settings of a function's configuration. */
export function linkSettings(config: { DOWNLOAD_BASE_URL: string; LINK_TTL_DAYS: number }): LinkSettings {
  return { baseUrl: config.DOWNLOAD_BASE_URL, ttlDays: config.LINK_TTL_DAYS };
}

/**
 * The one way a download link is made, for the email and for the API alike: the
 * route's URL with a token for `key` signed under `secret`, valid `ttlDays`
 * from the real instant `now`; `expiresAt` as an ISO instant.
 */
export function linkFor(
  key: string,
  settings: LinkSettings,
  secret: string | Buffer,
  now: number,
): { url: string; expiresAt: string } {
  const expiresAt = now + settings.ttlDays * 86_400_000;
  return {
    url: `${settings.baseUrl}${signLink({ key, expiresAt }, secret)}`,
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

/** Checks a token: signature first (constant time), then expiry. Never throws. */
export function verifyLink(token: string, secret: string | Buffer, now: number): LinkCheck {
  if (typeof token !== 'string' || token.length > 4096) return { ok: false, reason: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const want = mac(secret, payload);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'tampered' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { k, e } = (parsed ?? {}) as { k?: unknown; e?: unknown };
  if (typeof k !== 'string' || k.length === 0 || typeof e !== 'number' || !Number.isFinite(e)) {
    return { ok: false, reason: 'malformed' };
  }
  const expiresAt = e * 1000;
  if (now > expiresAt) return { ok: false, reason: 'expired', expiresAt };
  return { ok: true, claims: { key: k, expiresAt } };
}
