/**
 * The link-signing key ring, read from the link-key secret. Every token names
 * the key it was signed with (its `kid`); old keys keep verifying the links
 * they signed, the newest signs, so the key rotates without killing links.
 *
 * The secret holds either
 *   - `{"keys": [{"kid": "k1", "key": "…"}, {"kid": "k2", "key": "…"}]}`: the
 *     LAST one signs, all verify. Rotate in two steps, because each function
 *     caches the secret for minutes: add the new key before the signing one
 *     (it verifies), then, once every function has read that, move it last
 *     (it signs); retire the old one once every link it signed has expired; or
 *   - a plain key (what the stack generates, and every deployment before the
 *     ring): a ring of that one key, under the kid `0`. Rotating from it:
 *     `{"keys": [{"kid": "0", "key": "<the plain key>"}, {"kid": "1", "key": "<new>"}]}`.
 *
 * Kids are 1–16 letters, digits, `_` or `-` (they travel in the URL); keys at
 * least 32 characters. Errors name what is wrong, never a key.
 */

export const PLAIN_KEY_KID = '0';
export const MIN_KEY_LENGTH = 32;
const KID_RE = /^[A-Za-z0-9_-]{1,16}$/;

export interface SigningKey {
  kid: string;
  key: string;
}

export interface KeyRing {
  /** The key new tokens are signed with (the newest). */
  signing: SigningKey;
  /** The key of a kid, for verifying; undefined for a kid not (or no longer) in the ring. */
  find(kid: string): SigningKey | undefined;
  /** The kids, in the ring's order (the last signs). */
  kids: readonly string[];
}

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/** A ring of keys; the last signs. */
export function keyRing(keys: readonly SigningKey[]): KeyRing {
  if (keys.length === 0) throw new KeyRingError('The link key ring is empty: give at least one key');
  const byKid = new Map<string, SigningKey>();
  keys.forEach((k, i) => {
    if (typeof k?.kid !== 'string' || !KID_RE.test(k.kid)) {
      throw new KeyRingError(`keys[${i}].kid must be 1–16 letters, digits, "_" or "-"`);
    }
    if (typeof k.key !== 'string' || k.key.length < MIN_KEY_LENGTH) {
      throw new KeyRingError(
        `keys[${i}].key (kid "${k.kid}") must be text of at least ${MIN_KEY_LENGTH} characters`,
      );
    }
    if (byKid.has(k.kid)) throw new KeyRingError(`keys[${i}].kid "${k.kid}" appears twice; kids must differ`);
    byKid.set(k.kid, { kid: k.kid, key: k.key });
  });
  const signing = byKid.get((keys[keys.length - 1] as SigningKey).kid) as SigningKey;
  return { signing, find: (kid) => byKid.get(kid), kids: [...byKid.keys()] };
}

/** The ring a link-key secret's text holds: JSON `{"keys": [...]}`, or one plain key (kid `0`). */
export function parseKeyRing(text: string): KeyRing {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    if (trimmed.length < MIN_KEY_LENGTH) {
      throw new KeyRingError(
        `The link key must be at least ${MIN_KEY_LENGTH} characters (or a {"keys": [...]} ring)`,
      );
    }
    return keyRing([{ kid: PLAIN_KEY_KID, key: trimmed }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new KeyRingError(
      'The link key secret starts with "{" but is not JSON; expected {"keys": [{"kid", "key"}, ...]}',
    );
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) {
    throw new KeyRingError(
      'The link key secret must be {"keys": [{"kid": "...", "key": "..."}, ...]} (the last signs) or one plain key',
    );
  }
  return keyRing(keys as SigningKey[]);
}
