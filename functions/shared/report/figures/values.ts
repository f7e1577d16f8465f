/**
 * How every figure treats values (docs/metrics.md): a mean over nothing is
 * null and is rounded to the nearest second, halves up; a rate over nothing is
 * 0; a blank name or comment is no name or comment.
 */

/** Mean rounded to the nearest whole second, halves up; null over nothing. */
export function mean(sum: number, count: number): number | null {
  return count === 0 ? null : Math.floor(sum / count + 0.5);
}

/** `part / whole`, unrounded; 0 when `whole` is 0. */
export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** A text with something in it other than spaces. */
export function nonEmpty(s: string | null | undefined): s is string {
  return s != null && s.trim() !== '';
}
