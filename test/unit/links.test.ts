import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keySafeSubscription } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { keyRing, PLAIN_KEY_KID, parseKeyRing } from '../../functions/shared/http/key-ring.ts';
import { linkFor, quickLinkFor } from '../../functions/shared/http/link-urls.ts';
import {
  isReportObjectKey,
  signQuickLink,
  signReportLink,
  verifyLink,
} from '../../functions/shared/http/links.ts';
import { NEW_KEY, OLD_KEY, RING_AFTER, RING_BEFORE } from '../support/links.ts';

const NOW = Date.UTC(2024, 9, 22, 6);
const DAY = 86_400_000;
const KEY = 'reports/sales/2024-10-21_2024-10-21/report.xlsx';
const report = (over: Partial<Parameters<typeof signReportLink>[0]> = {}, ring = RING_BEFORE) =>
  signReportLink(
    { key: KEY, subscription: 'sales', language: 'ru', expiresAt: NOW + 14 * DAY, ...over },
    ring,
    NOW,
  );
const quick = (ring = RING_BEFORE) =>
  signQuickLink(
    { subscription: 'sales', rule: 'last_week', language: 'ru', expiresAt: NOW + 14 * DAY },
    ring,
    NOW,
  );

/** The token with its body's JSON changed by `edit` (the signature kept). */
function editBody(token: string, edit: (claims: Record<string, unknown>) => void): string {
  const [kid, body, sig] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  edit(claims);
  return `${kid}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
}

describe('report links', () => {
  it('carry the key id, the object key, the subscription, when issued and until when', () => {
    const t = report();
    expect(t.split('.')[0]).toBe('k1');
    expect(verifyLink(t, RING_BEFORE, NOW)).toEqual({
      ok: true,
      claims: {
        kind: 'report',
        id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
        kid: 'k1',
        subscription: 'sales',
        key: KEY,
        language: 'ru',
        issuedAt: NOW,
        expiresAt: NOW + 14 * DAY,
      },
    });
  });

  it('give every token its own id', () => {
    const ids = new Set(
      [report(), report(), report()]
        .map((t) => verifyLink(t, RING_BEFORE, NOW))
        .map((c) => c.ok && c.claims.id),
    );
    expect(ids.size).toBe(3);
  });

  it('say a link expired after its expiry, not before, and still say what it was', () => {
    const t = report({ expiresAt: NOW + 1000 });
    expect(verifyLink(t, RING_BEFORE, NOW + 1000).ok).toBe(true);
    expect(verifyLink(t, RING_BEFORE, NOW + 2000)).toMatchObject({
      ok: false,
      reason: 'expired',
      expiresAt: NOW + 1000,
      claims: { kind: 'report', subscription: 'sales', key: KEY },
    });
  });

  it.each([
    ['another file of the report', 'reports/sales/2024-10-21_2024-10-21/summary.json'],
    ['outside the reports prefix', 'jobs/3f0e.json'],
    ['a path that climbs', 'reports/sales/../other/2024-10-21_2024-10-21/report.xlsx'],
    ['another subscription’s report', 'reports/support/2024-10-21_2024-10-21/report.xlsx'],
    ['no period folder', 'reports/sales/report.xlsx'],
  ])('are never minted for %s', (_what, key) => {
    expect(() => report({ key })).toThrow(/Not a report workbook of subscription "sales"/);
  });

  it('refuse a claim signed with our key whose object is not a report (a signature is not enough)', () => {
    // Only a bug could mint it; it still opens nothing.
    const claims = {
      v: 1,
      t: 'r',
      j: 'AAAAAAAAAAAAAAAA',
      s: 'sales',
      i: NOW / 1000,
      e: NOW / 1000 + 60,
      k: 'jobs/x.json',
    };
    const signed = `k1.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const sig = createHmac('sha256', OLD_KEY.key).update(signed).digest('base64url');
    expect(verifyLink(`${signed}.${sig}`, RING_BEFORE, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accept the storage layout’s partial and variant folders', () => {
    expect(
      isReportObjectKey(
        'reports/sales/2024-10-01_2024-10-22_as-of_2024-10-22_12-00-00_en_s-0a1b2c3d/report.xlsx',
        'sales',
      ),
    ).toBe(true);
    const folder = keySafeSubscription('Отдел продаж');
    expect(isReportObjectKey(`reports/${folder}/2024-10-21_2024-10-21/report.xlsx`, 'Отдел продаж')).toBe(
      true,
    );
    expect(isReportObjectKey(`reports/${folder}/2024-10-21_2024-10-21/report.xlsx`, 'Отдел продаж 2')).toBe(
      false,
    );
  });
});

describe('quick links', () => {
  it('carry the subscription, the period rule (not dates), the language and the scopes', () => {
    expect(verifyLink(quick(), RING_BEFORE, NOW)).toEqual({
      ok: true,
      claims: {
        kind: 'quick',
        id: expect.any(String),
        kid: 'k1',
        subscription: 'sales',
        rule: 'last_week',
        language: 'ru',
        scopes: ['reports:read', 'reports:create', 'reports:email'],
        issuedAt: NOW,
        expiresAt: NOW + 14 * DAY,
      },
    });
  });

  it.each([
    ['an edited period rule', (c: Record<string, unknown>) => (c.p = 'last_month')],
    ['another subscription', (c: Record<string, unknown>) => (c.s = 'support')],
    ['raw dates added', (c: Record<string, unknown>) => (c.from = '2020-01-01')],
    ['a later expiry', (c: Record<string, unknown>) => (c.e = (c.e as number) + 365 * 86_400)],
    ['fewer scopes', (c: Record<string, unknown>) => (c.c = ['reports:read'])],
  ])('cannot be widened: %s is tampered', (_what, edit) => {
    expect(verifyLink(editBody(quick(), edit), RING_BEFORE, NOW)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('do not open a workbook, and a report link does not make a report', () => {
    expect(verifyLink(quick(), RING_BEFORE, NOW, 'report')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLink(report(), RING_BEFORE, NOW, 'quick')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLink(quick(), RING_BEFORE, NOW, 'quick').ok).toBe(true);
  });

  it('can carry fewer scopes than the default', () => {
    const t = signQuickLink(
      {
        subscription: 'sales',
        rule: 'today',
        language: 'en',
        scopes: ['reports:read'],
        expiresAt: NOW + DAY,
      },
      RING_BEFORE,
      NOW,
    );
    expect(verifyLink(t, RING_BEFORE, NOW)).toMatchObject({ ok: true, claims: { scopes: ['reports:read'] } });
  });
});

describe('the key ring', () => {
  it('keeps links signed before a rotation valid, and signs new ones with the newest key', () => {
    const before = report();
    const quickBefore = quick();
    expect(verifyLink(before, RING_AFTER, NOW)).toMatchObject({ ok: true, claims: { kid: 'k1', key: KEY } });
    expect(verifyLink(quickBefore, RING_AFTER, NOW)).toMatchObject({ ok: true, claims: { kid: 'k1' } });
    const after = report({}, RING_AFTER);
    expect(after.startsWith('k2.')).toBe(true);
    expect(verifyLink(after, RING_AFTER, NOW)).toMatchObject({ ok: true, claims: { kid: 'k2' } });
  });

  it('rotates in two steps: a new key placed before the signing one only verifies, then signs when moved last', () => {
    const joining = keyRing([NEW_KEY, OLD_KEY]);
    expect(joining.signing.kid).toBe('k1');
    const signedByNew = report({}, RING_AFTER);
    expect(verifyLink(signedByNew, joining, NOW)).toMatchObject({ ok: true, claims: { kid: 'k2' } });
    expect(report({}, joining).startsWith('k1.')).toBe(true);
  });

  it('refuses links of a retired key, and a kid swapped onto another key’s signature', () => {
    const retired = keyRing([NEW_KEY]);
    expect(verifyLink(report(), retired, NOW)).toEqual({ ok: false, reason: 'tampered' });
    const swapped = `k2.${report().slice(3)}`;
    expect(verifyLink(swapped, RING_AFTER, NOW)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('reads a plain key (the stack’s generated one) as a ring of one key, kid "0"', () => {
    const ring = parseKeyRing(`  ${OLD_KEY.key}\n`);
    expect(ring.signing).toEqual({ kid: PLAIN_KEY_KID, key: OLD_KEY.key });
    const t = report({}, ring);
    expect(t.startsWith('0.')).toBe(true);
    // Rotating from a plain key: the plain key under kid "0", then the new one.
    const rotated = parseKeyRing(JSON.stringify({ keys: [{ kid: '0', key: OLD_KEY.key }, NEW_KEY] }));
    expect(verifyLink(t, rotated, NOW).ok).toBe(true);
    expect(rotated.signing.kid).toBe('k2');
  });

  it.each([
    ['short', /at least 32 characters/],
    ['{"keys": "x"}', /must be \{"keys"/],
    ['{"keys": []}', /empty/],
    ['{nope', /not JSON/],
    [JSON.stringify({ keys: [OLD_KEY, OLD_KEY] }), /kid "k1" appears twice/],
    [JSON.stringify({ keys: [{ kid: 'a.b', key: OLD_KEY.key }] }), /keys\[0\]\.kid must be/],
    [
      JSON.stringify({ keys: [{ kid: 'k9', key: 'short' }] }),
      /keys\[0\]\.key \(kid "k9"\) must be text of at least 32/,
    ],
  ])('refuses the secret %j, saying what is wrong and never a key', (text, message) => {
    let error: Error | undefined;
    try {
      parseKeyRing(text);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(OLD_KEY.key);
  });
});

describe('strict base64url: exactly one text verifies', () => {
  const good = report();
  const [kid, body, sig] = good.split('.') as [string, string, string];
  /** The signature with its last character's unused low bits set (decodes to the same bytes in Node). */
  const strayBits = () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.at(-1) as string);
    return `${sig.slice(0, -1)}${alphabet[last | 0b11]}`;
  };

  it('Node’s own decoder would take every one of these forms (so the check is ours)', () => {
    for (const s of [`${sig}=`, `${sig}==`, `${sig}!`, strayBits()]) {
      expect(Buffer.from(s, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    }
    expect(strayBits()).not.toBe(sig);
  });

  it.each([
    ['sig=', () => `${kid}.${body}.${sig}=`],
    ['sig==', () => `${kid}.${body}.${sig}==`],
    ['sig!', () => `${kid}.${body}.${sig}!`],
    ['stray trailing bits', () => `${kid}.${body}.${strayBits()}`],
    ['standard base64 alphabet', () => `${kid}.${body}.${Buffer.from(sig, 'base64url').toString('base64')}`],
    ['a truncated signature', () => `${kid}.${body}.${sig.slice(0, -1)}`],
  ])('refuses the signature as %s (tampered)', (_what, make) => {
    expect(verifyLink(make(), RING_BEFORE, NOW)).toEqual({ ok: false, reason: 'tampered' });
  });

  it.each([
    ['a padded body', () => `${kid}.${body}=.${sig}`],
    ['a body with a stray character', () => `${kid}.${body}!.${sig}`],
    ['no kid (the old two-part form)', () => `${body}.${sig}`],
    ['four parts', () => `${good}.x`],
    ['an empty body', () => `${kid}..${sig}`],
    ['a kid with other characters', () => `k 1.${body}.${sig}`],
    ['empty', () => ''],
    ['huge', () => `${kid}.${'A'.repeat(5000)}.${sig}`],
  ])('refuses %s (malformed), without throwing', (_what, make) => {
    expect(verifyLink(make(), RING_BEFORE, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes anything that is not a string as malformed', () => {
    expect(verifyLink(undefined, RING_BEFORE, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLink(42, RING_BEFORE, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('links for the email and the API', () => {
  const settings = { baseUrl: 'https://api.example.com/v1/download/', ttlDays: 14 };

  it('work 14 days by default, or the subscription’s link_ttl_days', () => {
    const byDefault = linkFor(KEY, { id: 'sales' }, settings, RING_BEFORE, NOW);
    expect(byDefault.expiresAt).toBe(new Date(NOW + 14 * DAY).toISOString());
    expect(byDefault.url.startsWith(settings.baseUrl)).toBe(true);
    const token = byDefault.url.slice(settings.baseUrl.length);
    expect(verifyLink(token, RING_BEFORE, NOW)).toMatchObject({ ok: true, claims: { id: byDefault.id } });
    const short = linkFor(KEY, { id: 'sales', link_ttl_days: 3 }, settings, RING_BEFORE, NOW);
    expect(short.expiresAt).toBe(new Date(NOW + 3 * DAY).toISOString());
  });

  it('make quick links under the route given, with the subscription’s TTL', () => {
    const q = quickLinkFor(
      { rule: 'this_month', language: 'en' },
      { id: 'sales', link_ttl_days: 2 },
      settings,
      'https://api.example.com/v1/quick/',
      RING_AFTER,
      NOW,
    );
    expect(q.expiresAt).toBe(new Date(NOW + 2 * DAY).toISOString());
    const token = q.url.slice('https://api.example.com/v1/quick/'.length);
    expect(verifyLink(token, RING_AFTER, NOW)).toMatchObject({
      ok: true,
      claims: {
        kind: 'quick',
        kid: 'k2',
        rule: 'this_month',
        language: 'en',
        subscription: 'sales',
        id: q.id,
      },
    });
  });

  it('refuse to mint a link that expires when issued', () => {
    expect(() => report({ expiresAt: NOW })).toThrow(/expire after/);
  });
});
