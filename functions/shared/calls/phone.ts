/**
 * The normal form numbers are compared by (report-metrics.md, "Phone numbers"):
 * digits only; an 11-digit number starting with 8 becomes 7…; a 10-digit number
 * starting with 9 gets a leading 7. Anything else keeps its digits as they are.
 * Returns null when the input has no digits at all (hidden / anonymous caller).
 */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const digits = raw.replace(/\D+/g, '');
  if (digits.length === 0) return null;
  if (digits.length === 11 && digits[0] === '8') return `7${digits.slice(1)}`;
  if (digits.length === 10 && digits[0] === '9') return `7${digits}`;
  return digits;
}
