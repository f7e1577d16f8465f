/**
 * Email addresses are personal data: every log line and error message that
 * mentions one shows it masked, `ivan.petrov@example.com` → `i***@example.com`
 * (enough to tell recipients apart, not enough to harvest them).
 */

const ADDRESS_IN_TEXT = /[^\s@<>()[\],;:"']+@[^\s@<>()[\],;:"']+/g;

/** `ivan.petrov@example.com` → `i***@example.com`; `Ivan <ivan@x.ru>` → `i***@x.ru`; no `@` → `***`. */
export function maskEmail(address: string): string {
  const bracketed = /<([^<>]*)>/.exec(address);
  const addr = (bracketed ? (bracketed[1] ?? '') : address).trim();
  const at = addr.lastIndexOf('@');
  if (at < 0) return '***';
  const local = addr.slice(0, at);
  const domain = addr.slice(at + 1);
  const first = Array.from(local)[0] ?? '';
  return `${first}***@${domain}`;
}

export function maskEmails(addresses: readonly string[]): string[] {
  return addresses.map(maskEmail);
}

/** Masks every address found in free text (an SDK error message may quote the recipients). */
export function maskEmailsIn(text: string): string {
  return text.replace(ADDRESS_IN_TEXT, (addr) => maskEmail(addr));
}
