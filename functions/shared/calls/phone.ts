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

// Client numbers kept as numbers: a `CallTable` keeps the usual plain digits
// (`79161234567`) in a Float64 and makes the text, and its normal form, again
// when it reads the call.

/** A plain number string that `String(Number(s))` gives back: 1 to 15 digits, no leading zero. */
export function plainDigits(s: string): boolean {
  const n = s.length;
  if (n < 1 || n > 15) return false;
  const first = s.charCodeAt(0);
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * `String(n)` of a whole number below 10^15, made from two small integers: V8
 * keeps the text of every other number converted in a cache that outlives
 * young-generation collections (garbage left in the old generation).
 */
export function digitsOf(n: number): string {
  if (n < 100_000_000) return `${n}`;
  const high = Math.floor(n / 100_000_000);
  return `${high}${`${n - high * 100_000_000 + 100_000_000}`.slice(1)}`;
}

/** `normalisePhone` of a plain digit string. */
export function normalDigits(digits: string): string {
  if (digits.length === 11 && digits.charCodeAt(0) === 56) return `7${digits.slice(1)}`;
  if (digits.length === 10 && digits.charCodeAt(0) === 57) return `7${digits}`;
  return digits;
}

/**
 * A number for a person to read (docs/metrics.md, "Phone numbers"):
 * `+7 495 123-45-67` when the normal form is 11 digits starting with 7, else
 * the number as the API gave it (`display`, null stays null). `normal` is
 * `normalisePhone(display)` unless given.
 */
export function formattedPhone(
  display: string | null | undefined,
  normal: string | null = normalisePhone(display),
): string | null {
  if (normal !== null && normal.length === 11 && normal.charCodeAt(0) === 55) {
    return `+7 ${normal.slice(1, 4)} ${normal.slice(4, 7)}-${normal.slice(7, 9)}-${normal.slice(9)}`;
  }
  return display ?? null;
}
