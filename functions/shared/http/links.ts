/**
 * Signed links. The email carries a link to our own routes, never to S3: the
 * token holds what it opens and until when, signed with HMAC-SHA256 under a key
 * of the link key ring (key-ring.ts); the route checks it in constant time and
 * only then acts (a report link redirects to a freshly presigned S3 URL; a
 * quick link makes or finds the report of its period rule).
 *
 * One format for every token: `<kid>.<body>.<signature>`
 *   kid        the ring key that signed it (1–16 of `A-Za-z0-9_-`)
 *   body       strict base64url of the claims' JSON
 *   signature  strict base64url of HMAC-SHA256(key[kid], "<kid>.<body>"), 43 characters
 * Claims: `v` 1, `t` kind (`r` report, `q` quick), `j` token id, `s` subscription,
 * `i` issued and `e` expiry (seconds since epoch); a report link adds `k` the
 * stored workbook's key (a report object of the storage layout, of `s`) and
 * optionally `l` its language; a quick link `p` its period rule, `l` the
 * language and `c` its scopes.
 *
 * Exactly one text verifies for a token: anything but three dot-separated
 * canonical base64url parts is `malformed`; a signature that is not the
 * canonical 43 characters, an unknown kid or a wrong MAC is `tampered`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { DEFAULT_PREFIX, keySafeSubscription } from '../adapters/aws/s3-storage.ts';
import { LANGUAGES, type Language } from '../language.ts';
import { decodeBase64urlStrict, encodeBase64url } from './base64url.ts';
import type { KeyRing } from './key-ring.ts';
import { PERIOD_RULES, type PeriodRule } from './period-rules.ts';
import { SCOPES, type Scope } from './scopes.ts';

export const MAX_TOKEN_LENGTH = 2048;
/** The scopes a quick link carries unless told otherwise: make, read and email its own report. */
export const QUICK_LINK_SCOPES: readonly Scope[] = ['reports:read', 'reports:create', 'reports:email'];

interface LinkBase {
  /** The token's id (random, 16 characters): what logs and revocations name, never the token. */
  id: string;
  /** The ring key that signed it. */
  kid: string;
  subscription: string;
  /** Issued, ms since epoch (whole seconds). */
  issuedAt: number;
  /** Expiry, ms since epoch (whole seconds). */
  expiresAt: number;
}

/** A link to one stored report's workbook. */
export interface ReportLink extends LinkBase {
  kind: 'report';
  /** The stored workbook's object key. */
  key: string;
  language: Language | null;
}

/** A link that makes (or finds) the subscription's report of a period rule. */
export interface QuickLink extends LinkBase {
  kind: 'quick';
  rule: PeriodRule;
  language: Language;
  scopes: Scope[];
}

export type Link = ReportLink | QuickLink;
export type LinkKind = Link['kind'];

export type LinkCheck =
  | { ok: true; claims: Link }
  | { ok: false; reason: 'malformed' | 'tampered' }
  /** Signed by us but past its expiry: `claims` say what it was (for a page that offers a new one). */
  | { ok: false; reason: 'expired'; claims: Link; expiresAt: number }
  /** Signed by us, in time, but revoked (revocations.ts). */
  | { ok: false; reason: 'revoked'; claims: Link; expiresAt: number; revokedAt: number };

export type LinkFailure = Exclude<LinkCheck, { ok: true }>['reason'];

const KID_RE = /^[A-Za-z0-9_-]{1,16}$/;
const TOKEN_ID_RE = /^[A-Za-z0-9_-]{16}$/;

/**
 * Whether `key` is a stored report's workbook in the storage layout
 * (adapters/aws/s3-storage.ts): `reports/<subscription>/<from>_<till>[_<suffix>]/report.xlsx`,
 * and, given a subscription, that subscription's.
 */
export function isReportObjectKey(key: string, subscription?: string): boolean {
  if (typeof key !== 'string' || key.length > 512) return false;
  const m =
    /^([A-Za-z0-9_-]{1,80})\/(\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}(?:_[A-Za-z0-9-]+)*)\/report\.xlsx$/.exec(
      key.startsWith(DEFAULT_PREFIX) ? key.slice(DEFAULT_PREFIX.length) : '',
    );
  if (!m) return false;
  if (subscription === undefined) return true;
  try {
    return m[1] === keySafeSubscription(subscription);
  } catch {
    return false;
  }
}

const base = {
  v: z.literal(1),
  j: z.string().regex(TOKEN_ID_RE),
  s: z.string().min(1).max(64),
  i: z.number().int().nonnegative(),
  e: z.number().int().positive(),
};
const claimsSchema = z.discriminatedUnion('t', [
  z.strictObject({ ...base, t: z.literal('r'), k: z.string().min(1), l: z.enum(LANGUAGES).optional() }),
  z.strictObject({
    ...base,
    t: z.literal('q'),
    p: z.enum(PERIOD_RULES),
    l: z.enum(LANGUAGES),
    c: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  }),
]);
type Claims = z.infer<typeof claimsSchema>;

/** A fresh token id: 12 random bytes, 16 base64url characters. */
export function newTokenId(): string {
  return randomBytes(12).toString('base64url');
}

function mac(key: string, signed: string): Buffer {
  return createHmac('sha256', key).update(signed, 'utf8').digest();
}

function sign(claims: Claims, ring: KeyRing): string {
  const { kid, key } = ring.signing;
  const signed = `${kid}.${encodeBase64url(JSON.stringify(claims))}`;
  return `${signed}.${encodeBase64url(mac(key, signed))}`;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

function times(now: number, expiresAt: number): { i: number; e: number } {
  if (!Number.isFinite(now) || !Number.isFinite(expiresAt) || seconds(expiresAt) <= seconds(now)) {
    throw new RangeError('A link must expire after the moment it is issued');
  }
  return { i: seconds(now), e: seconds(expiresAt) };
}

export interface ReportLinkInput {
  key: string;
  subscription: string;
  language?: Language | null;
  expiresAt: number;
  /** The token id (default a fresh random one). */
  id?: string;
}

/** A token for one stored workbook; throws when `key` is not a report object of `subscription`. */
export function signReportLink(input: ReportLinkInput, ring: KeyRing, now: number): string {
  if (!isReportObjectKey(input.key, input.subscription)) {
    throw new RangeError(`Not a report workbook of subscription "${input.subscription}": ${input.key}`);
  }
  return sign(
    {
      v: 1,
      t: 'r',
      j: input.id ?? newTokenId(),
      s: input.subscription,
      ...times(now, input.expiresAt),
      k: input.key,
      ...(input.language ? { l: input.language } : {}),
    },
    ring,
  );
}

export interface QuickLinkInput {
  subscription: string;
  rule: PeriodRule;
  language: Language;
  scopes?: readonly Scope[];
  expiresAt: number;
  id?: string;
}

/** A token that makes (or finds) the subscription's report of `rule`. */
export function signQuickLink(input: QuickLinkInput, ring: KeyRing, now: number): string {
  const scopes = SCOPES.filter((s) => (input.scopes ?? QUICK_LINK_SCOPES).includes(s));
  if (scopes.length === 0) throw new RangeError('A quick link needs at least one scope');
  return sign(
    {
      v: 1,
      t: 'q',
      j: input.id ?? newTokenId(),
      s: input.subscription,
      ...times(now, input.expiresAt),
      p: input.rule,
      l: input.language,
      c: scopes,
    },
    ring,
  );
}

function linkOf(kid: string, c: Claims): Link {
  const common = { id: c.j, kid, subscription: c.s, issuedAt: c.i * 1000, expiresAt: c.e * 1000 };
  return c.t === 'r'
    ? { ...common, kind: 'report', key: c.k, language: c.l ?? null }
    : { ...common, kind: 'quick', rule: c.p, language: c.l, scopes: c.c };
}

/**
 * Checks a token against the ring at the real instant `now`: shape, signature
 * (constant time), claims, then expiry; with `kind`, a token of another kind is
 * `malformed` (a quick link does not open a workbook). Never throws. Revocation
 * is checked by revocations.ts's `openLink`, which calls this first.
 */
export function verifyLink(token: unknown, ring: KeyRing, now: number, kind?: LinkKind): LinkCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [kid, body, signature] = parts as [string, string, string];
  if (!KID_RE.test(kid) || body === '' || decodeBase64urlStrict(body) === null) {
    return { ok: false, reason: 'malformed' };
  }
  const given = decodeBase64urlStrict(signature);
  const key = ring.find(kid);
  if (given === null || given.length !== 32 || !key) return { ok: false, reason: 'tampered' };
  if (!timingSafeEqual(given, mac(key.key, `${kid}.${body}`))) return { ok: false, reason: 'tampered' };
  let parsed: unknown;
  try {
    parsed = JSON.parse((decodeBase64urlStrict(body) as Buffer).toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const claims = claimsSchema.safeParse(parsed);
  if (!claims.success) return { ok: false, reason: 'malformed' };
  const link = linkOf(kid, claims.data);
  if (link.kind === 'report' && !isReportObjectKey(link.key, link.subscription)) {
    return { ok: false, reason: 'malformed' };
  }
  if (kind !== undefined && link.kind !== kind) return { ok: false, reason: 'malformed' };
  if (now > link.expiresAt) return { ok: false, reason: 'expired', claims: link, expiresAt: link.expiresAt };
  return { ok: true, claims: link };
}

/**
 * What a token SAYS, without checking its signature: only for naming what to
 * revoke (cli/revoke.ts), never for opening anything. Null when it is not of
 * our shape.
 */
export function peekLink(token: string): Link | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const body = decodeBase64urlStrict(parts[1] as string);
  if (body === null) return null;
  try {
    const claims = claimsSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!claims.success) return null;
    return linkOf(parts[0] as string, claims.data);
  } catch {
    return null;
  }
}
