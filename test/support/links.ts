/** Link key rings and a revocation list kept in memory, for tests of the link routes. */
import { type KeyRing, keyRing } from '../../functions/shared/http/key-ring.ts';
import type {
  Revocation,
  RevocationEntries,
  RevocationList,
} from '../../functions/shared/http/revocations.ts';

export const OLD_KEY = { kid: 'k1', key: 'old-link-signing-key-0123456789abcdef' };
export const NEW_KEY = { kid: 'k2', key: 'new-link-signing-key-0123456789abcdef' };
/** A ring of one key (before a rotation). */
export const RING_BEFORE: KeyRing = keyRing([OLD_KEY]);
/** The same ring after a rotation: the new key signs, the old one still verifies. */
export const RING_AFTER: KeyRing = keyRing([OLD_KEY, NEW_KEY]);

/** The revocation list's meaning over a Map (the DynamoDB store is tested against dynalite). */
export class MemoryRevocations implements RevocationList {
  readonly entries = new Map<string, number>();
  lookups = 0;

  async lookup(link: {
    id: string;
    subscription: string;
    key?: string | undefined;
  }): Promise<RevocationEntries> {
    this.lookups++;
    return {
      token: this.entries.get(`token#${link.id}`),
      key: link.key === undefined ? undefined : this.entries.get(`key#${link.key}`),
      subscription: this.entries.get(`subscription#${link.subscription}`),
    };
  }

  async revoke(what: Revocation, at: number): Promise<void> {
    const name =
      what.kind === 'token'
        ? `token#${what.tokenId}`
        : what.kind === 'key'
          ? `key#${what.key}`
          : `subscription#${what.subscription}`;
    this.entries.set(name, Math.max(at, this.entries.get(name) ?? Number.NEGATIVE_INFINITY));
  }
}
