/**
 * Strict base64url (RFC 4648 §5, no padding): exactly one text decodes to a
 * given byte string. Node's decoder is lenient (it takes `=` padding, skips
 * characters outside the alphabet and ignores non-zero trailing bits), so a
 * text is accepted only when it is in the alphabet and re-encodes to itself.
 */

const ALPHABET_RE = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(bytes: Buffer | string): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('base64url');
}

/** The bytes of a canonical base64url text, or null for anything else (padding, other characters, stray bits). */
export function decodeBase64urlStrict(text: string): Buffer | null {
  if (!ALPHABET_RE.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
