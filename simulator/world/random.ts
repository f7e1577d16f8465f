/**
 * Seeded randomness for the synthetic world: a small PRNG, a stateless hash to
 * derive one stream per date (or per client), and the draws the model uses.
 */

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stateless 32-bit integer hash (for numbers derived from an index). */
export function hash32(x: number, salt: number): number {
  let h = Math.imul(x ^ salt, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The PRNG of one purpose (`salt`) on one day of a seed's world. */
export function dayStream(seed: number, salt: number, day: number): () => number {
  return mulberry32(hash32(day, hash32(seed, salt)));
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** An index drawn by a cumulative distribution (see `cumulative`). */
export function pickCum(rand: () => number, cum: Float64Array): number {
  const u = rand();
  let i = 0;
  while (i < cum.length - 1 && (cum[i] ?? 1) <= u) i++;
  return i;
}

/** The cumulative distribution of relative weights; the last entry is exactly 1. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (const w of weights) sum += w;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] ?? 0) / sum;
    out[i] = acc;
  }
  out[weights.length - 1] = 1;
  return out;
}

/** A log-normal duration in whole seconds with the given median, clipped. */
export function logNormal(
  rand: () => number,
  median: number,
  sigma: number,
  min: number,
  max: number,
): number {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const v = Math.round(median * Math.exp(sigma * z));
  return Math.min(max, Math.max(min, v));
}
