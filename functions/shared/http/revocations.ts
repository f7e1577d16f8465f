/**
 * The revocation list, checked on every open of a link. Three kinds of entry:
 *   - one token, by its id (`token`): that link only;
 *   - one report object (`key`, with an instant): every link to that workbook
 *     issued at or before it (a link minted later, e.g. after a re-run, works);
 *   - one subscription (`subscription`, with an instant): every link of it,
 *     report and quick, issued at or before it.
 * Where the entries are kept is the store's business (adapters/aws/dynamo-revocations.ts);
 * this is what they mean.
 */
import type { KeyRing } from './key-ring.ts';
import { type Link, type LinkCheck, type LinkKind, verifyLink } from './links.ts';

/** The entries that could concern one link, as the store found them (ms since epoch). */
export interface RevocationEntries {
  /** When the token itself was revoked. */
  token?: number | undefined;
  /** Links to the object issued at or before this instant are revoked. */
  key?: number | undefined;
  /** Links of the subscription issued at or before this instant are revoked. */
  subscription?: number | undefined;
}

export type Revocation =
  | { kind: 'token'; tokenId: string }
  | { kind: 'key'; key: string }
  | { kind: 'subscription'; subscription: string };

export interface RevocationList {
  /** The entries for a link's token id, its object key (report links) and its subscription: one read. */
  lookup(link: { id: string; subscription: string; key?: string | undefined }): Promise<RevocationEntries>;
  /** Records a revocation at the instant `at` (ms). A later instant for a key or subscription wins. */
  revoke(what: Revocation, at: number): Promise<void>;
}

/** When `link` was revoked, by the entries found for it, or null when it was not. */
export function revokedAt(link: Link, entries: RevocationEntries): number | null {
  const hits: number[] = [];
  if (entries.token !== undefined) hits.push(entries.token);
  if (entries.key !== undefined && link.kind === 'report' && link.issuedAt <= entries.key)
    hits.push(entries.key);
  if (entries.subscription !== undefined && link.issuedAt <= entries.subscription)
    hits.push(entries.subscription);
  return hits.length === 0 ? null : Math.min(...hits);
}

export interface OpenDeps {
  ring: KeyRing;
  now: number;
  revocations: RevocationList;
}

/**
 * What a route does first with a token: verifyLink, then, for a link that is
 * good and in time, the revocation list (one read). Rejects only when the
 * list cannot be read (the route answers 503: a revocation is never skipped).
 */
export async function openLink(token: unknown, deps: OpenDeps, kind?: LinkKind): Promise<LinkCheck> {
  const check = verifyLink(token, deps.ring, deps.now, kind);
  if (!check.ok) return check;
  const link = check.claims;
  const entries = await deps.revocations.lookup({
    id: link.id,
    subscription: link.subscription,
    key: link.kind === 'report' ? link.key : undefined,
  });
  const at = revokedAt(link, entries);
  return at === null
    ? check
    : { ok: false, reason: 'revoked', claims: link, expiresAt: link.expiresAt, revokedAt: at };
}
